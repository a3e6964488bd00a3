import { stepHandler } from '../../shared/steps/handler.ts';
import { step } from '../../shared/steps/index.ts';
import { deregisterEndpoint } from '../../shared/steps/deregister-endpoint.ts';

export const handler = stepHandler(step('DeregisterEndpoint'), deregisterEndpoint);
