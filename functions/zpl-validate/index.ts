import { stepHandler } from '../../shared/steps/handler.ts';
import { step } from '../../shared/steps/index.ts';
import { validate } from '../../shared/steps/validate.ts';

export const handler = stepHandler(step('Validate'), validate);
