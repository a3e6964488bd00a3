import { stepHandler } from '../../shared/steps/handler.ts';
import { checkConnection } from '../../shared/steps/check-connection.ts';

export const handler = stepHandler('CheckConnection', checkConnection);
