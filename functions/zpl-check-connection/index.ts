import { stepHandler } from '../../shared/steps/handler.ts';
import { step } from '../../shared/steps/index.ts';
import { checkConnection } from '../../shared/steps/check-connection.ts';

export const handler = stepHandler(step('CheckConnection'), checkConnection);
