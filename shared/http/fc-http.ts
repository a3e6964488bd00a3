import type { Hono } from 'hono';
import * as z from '../zod.ts';
import { parseEvent } from '../fc-context.ts';

/**
 * FC 3.0's HTTP trigger contract (cloud-facts §4): the event is JSON
 * `{version: "v1", rawPath, headers, queryParameters, body, isBase64Encoded, requestContext}`,
 * the reply `{statusCode, headers, body, isBase64Encoded}`. The router sees a standard Request.
 */
export const httpTriggerEvent = z.object({
  version: z.literal('v1'),
  rawPath: z.string(),
  headers: z._default(z.record(z.string(), z.string()), {}),
  queryParameters: z._default(z.record(z.string(), z.string()), {}),
  body: z._default(z.string(), ''),
  isBase64Encoded: z._default(z.boolean(), false),
  requestContext: z.object({
    requestId: z._default(z.string(), ''),
    domainName: z._default(z.string(), 'localhost'),
    http: z.object({ method: z.string(), path: z.optional(z.string()), sourceIp: z.optional(z.string()) }),
  }),
});
export type HttpTriggerEvent = z.input<typeof httpTriggerEvent>;

export interface HttpTriggerReply {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded: boolean;
}

export function toRequest(event: z.output<typeof httpTriggerEvent>): Request {
  const url = new URL(`https://${event.requestContext.domainName}${event.rawPath}`);
  for (const [k, v] of Object.entries(event.queryParameters)) url.searchParams.set(k, v);
  const method = event.requestContext.http.method.toUpperCase();
  const body = method === 'GET' || method === 'HEAD' ? undefined : event.isBase64Encoded ? Buffer.from(event.body, 'base64') : event.body;
  return new Request(url, { method, headers: event.headers, body });
}

/** Wraps a router as an FC HTTP-trigger handler. */
export function fcHttpHandler(app: (event: z.output<typeof httpTriggerEvent>) => Hono | Promise<Hono>) {
  return async (raw: Buffer): Promise<HttpTriggerReply> => {
    const parsed = httpTriggerEvent.safeParse(parseEvent(raw));
    if (!parsed.success)
      return {
        statusCode: 400,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ error: { code: 'request.bad_trigger_event', message: 'not an FC HTTP trigger event' } }),
        isBase64Encoded: false,
      };
    const res = await (await app(parsed.data)).fetch(toRequest(parsed.data));
    const headers: Record<string, string> = {};
    res.headers.forEach((v, k) => (headers[k] = v));
    return { statusCode: res.status, headers, body: await res.text(), isBase64Encoded: false };
  };
}
