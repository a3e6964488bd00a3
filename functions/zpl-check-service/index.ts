import { stepHandler } from '../../shared/steps/handler.ts';
import { step } from '../../shared/steps/index.ts';
import { checkService } from '../../shared/steps/check-service.ts';

export const handler = stepHandler(step('CheckService'), checkService);
