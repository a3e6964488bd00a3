import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** The one error shape of the HTTP API: a stable code, a message, and field errors when the input was at fault. */
export interface ApiErrorBody {
  error: { code: string; message: string; fields?: { field: string; message: string }[] };
}

export const sendError = (
  c: Context,
  status: ContentfulStatusCode,
  code: string,
  message: string,
  fields?: { field: string; message: string }[],
) => c.json<ApiErrorBody>({ error: { code, message, ...(fields ? { fields } : {}) } }, status);
