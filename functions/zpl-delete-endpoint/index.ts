import { stepHandler } from '../../shared/steps/handler.ts';
import { deleteEndpoint } from '../../shared/steps/delete-endpoint.ts';

export const handler = stepHandler('DeleteEndpoint', deleteEndpoint);
