import { stepHandler } from '../../shared/steps/handler.ts';
import { step } from '../../shared/steps/index.ts';
import { registerEndpoint } from '../../shared/steps/register-endpoint.ts';

export const handler = stepHandler(step('RegisterEndpoint'), registerEndpoint);
