import { stepHandler } from '../../shared/steps/handler.ts';
import { step } from '../../shared/steps/index.ts';
import { deleteEndpoint } from '../../shared/steps/delete-endpoint.ts';

export const handler = stepHandler(step('DeleteEndpoint'), deleteEndpoint);
