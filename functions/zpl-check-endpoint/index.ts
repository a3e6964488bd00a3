import { stepHandler } from '../../shared/steps/handler.ts';
import { step } from '../../shared/steps/index.ts';
import { checkEndpoint } from '../../shared/steps/check-endpoint.ts';

export const handler = stepHandler(step('CheckEndpoint'), checkEndpoint);
