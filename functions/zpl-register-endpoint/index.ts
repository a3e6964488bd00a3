import { stepHandler } from '../../shared/steps/handler.ts';
import { registerEndpoint } from '../../shared/steps/register-endpoint.ts';

export const handler = stepHandler('RegisterEndpoint', registerEndpoint);
