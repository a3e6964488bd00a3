/**
 * What Function Compute 3.0 hands a Node.js event handler (cloud-facts §4): the event as a
 * Buffer and a context with the request ID, the role's temporary credentials and the
 * function's identity. The local engine builds the same objects, so handlers cannot tell.
 */
export interface FcCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

export interface FcContext {
  requestId: string;
  credentials: FcCredentials;
  function: { name: string; handler: string; memory: number; timeout: number; qualifier: string };
  region: string;
  accountId: string;
}

export type FcEventHandler = (event: Buffer, context: FcContext) => Promise<unknown>;

/** The event as JSON (an empty event is `{}`); a clear error when it is not JSON. */
export function parseEvent(event: Buffer | string | undefined): unknown {
  const text = Buffer.isBuffer(event) ? event.toString('utf8') : (event ?? '');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new Error('the event is not JSON');
  }
}
