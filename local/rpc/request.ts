import type { IncomingMessage, ServerResponse } from 'node:http';
import { NonceBook, verifySignature, type AnonymousAllowed, type Verified } from './signature.ts';

/**
 * What every emulated Alibaba RPC endpoint (the gateway, the local engine's FnF API) does before
 * its own work: read the body (bounded), merge query and form parameters, verify the signature,
 * and set the protocol fields apart from the action's own parameters.
 */

const PROTOCOL_FIELDS = new Set([
  'Signature',
  'SignatureMethod',
  'SignatureVersion',
  'SignatureNonce',
  'SignatureType',
  'AccessKeyId',
  'Timestamp',
  'Format',
  'Action',
  'Version',
  'SecurityToken',
]);

export class BodyTooLarge extends Error {}

export async function readBody(
  req: IncomingMessage,
  max: number,
  tooLarge: () => Error = () => new BodyTooLarge(`the body is larger than ${max} bytes`),
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export interface RpcRequest {
  verified: Verified;
  version: string | undefined;
  action: string;
  /** The action's own parameters, flattened as on the wire (protocol fields removed). */
  params: Record<string, string>;
}

/** Reads and verifies a signed RPC request; throws the signature module's ApiErrors. */
export function verifiedRpcRequest(
  req: IncomingMessage,
  body: Buffer,
  secretOf: (accessKeyId: string) => string | undefined,
  nonces: NonceBook,
  anonymous?: AnonymousAllowed,
): RpcRequest {
  const url = new URL(req.url ?? '/', 'http://emulator');
  const query = Object.fromEntries(url.searchParams);
  const form = String(req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')
    ? Object.fromEntries(new URLSearchParams(body.toString('utf8')))
    : {};
  const headers = Object.fromEntries(
    Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(',') : String(v ?? '')]),
  );
  const verified = verifySignature(
    { method: req.method ?? 'GET', pathname: url.pathname, query, form, headers, body },
    secretOf,
    nonces,
    anonymous,
  );
  const all: Record<string, string> = { ...query, ...form };
  return {
    verified,
    version: verified.version ?? all.Version,
    action: verified.action ?? all.Action ?? '',
    params: Object.fromEntries(Object.entries(all).filter(([k]) => !PROTOCOL_FIELDS.has(k))),
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json;charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
