import { stepHandler } from '../../shared/steps/handler.ts';
import { checkService } from '../../shared/steps/check-service.ts';

export const handler = stepHandler('CheckService', checkService);
