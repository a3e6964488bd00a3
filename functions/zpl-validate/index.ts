import { stepHandler } from '../../shared/steps/handler.ts';
import { validate } from '../../shared/steps/validate.ts';

export const handler = stepHandler('Validate', validate);
