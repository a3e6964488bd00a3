import { stepHandler } from '../../shared/steps/handler.ts';
import { deregisterEndpoint } from '../../shared/steps/deregister-endpoint.ts';

export const handler = stepHandler('DeregisterEndpoint', deregisterEndpoint);
