import { adoptStep } from '../../shared/steps/adopt.ts';
import { stepHandler } from '../../shared/steps/handler.ts';
import { step } from '../../shared/steps/index.ts';

export const handler = stepHandler(step('Adopt'), adoptStep);
