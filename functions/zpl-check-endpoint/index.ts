import { stepHandler } from '../../shared/steps/handler.ts';
import { checkEndpoint } from '../../shared/steps/check-endpoint.ts';

export const handler = stepHandler('CheckEndpoint', checkEndpoint);
