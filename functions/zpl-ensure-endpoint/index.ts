import { stepHandler } from '../../shared/steps/handler.ts';
import { ensureEndpoint } from '../../shared/steps/ensure-endpoint.ts';

export const handler = stepHandler('EnsureEndpoint', ensureEndpoint);
