import { stepHandler } from '../../shared/steps/handler.ts';
import { step } from '../../shared/steps/index.ts';
import { ensureEndpoint } from '../../shared/steps/ensure-endpoint.ts';

export const handler = stepHandler(step('EnsureEndpoint'), ensureEndpoint);
