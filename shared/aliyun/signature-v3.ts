import { createHash, createHmac, randomBytes } from 'node:crypto';

/**
 * Alibaba Cloud's V3 request signature (`ACS3-HMAC-SHA256`, cloud-facts §2), the scheme
 * `@alicloud/openapi-client` sends by default: a canonical request over the method, `/`, the
 * sorted RFC 3986-encoded query, the signed headers (`host`, `content-type`, every `x-acs-*`)
 * and the payload hash; HMAC-SHA256 of its digest with the secret. Small enough to own, so the
 * function bundles do not carry the SDK's dependency tree.
 */

export const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** `k=v&…` sorted by key, RFC 3986 on both sides: the canonical query and the form body alike. */
export const canonicalForm = (params: Record<string, string>) =>
  Object.keys(params)
    .sort()
    .map((k) => `${rfc3986(k)}=${rfc3986(params[k]!)}`)
    .join('&');

const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

export interface AcsRequest {
  method: 'GET' | 'POST';
  host: string;
  action: string;
  version: string;
  query: Record<string, string>;
  /** The exact bytes sent as the body ('' when none). */
  body: string;
  contentType?: string;
  /** Defaults: now, a random nonce (tests pin them). */
  date?: Date;
  nonce?: string;
}

export interface SignV3Input extends AcsRequest {
  accessKeyId: string;
  accessKeySecret: string;
  /** A temporary (STS) key's token, sent and signed as `x-acs-security-token`. */
  securityToken?: string;
}

/** The `x-acs-*` headers (with `host` and `content-type`) every V3 request carries, signed or not. */
export function acsHeaders(input: AcsRequest & { securityToken?: string }): Record<string, string> {
  return {
    host: input.host,
    'x-acs-action': input.action,
    'x-acs-version': input.version,
    'x-acs-date': (input.date ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'x-acs-signature-nonce': input.nonce ?? randomBytes(16).toString('hex'),
    'x-acs-content-sha256': sha256Hex(input.body),
    ...(input.contentType ? { 'content-type': input.contentType } : {}),
    ...(input.securityToken ? { 'x-acs-security-token': input.securityToken } : {}),
  };
}

/** The request headers, `authorization` included. */
export function signV3(input: SignV3Input): Record<string, string> {
  const headers = acsHeaders(input);
  const signed = Object.keys(headers).sort();
  const canonicalRequest = [
    input.method,
    '/',
    canonicalForm(input.query),
    signed.map((h) => `${h}:${headers[h]!.trim()}\n`).join(''),
    signed.join(';'),
    headers['x-acs-content-sha256'],
  ].join('\n');
  const signature = createHmac('sha256', input.accessKeySecret)
    .update(`ACS3-HMAC-SHA256\n${sha256Hex(canonicalRequest)}`)
    .digest('hex');
  return {
    ...headers,
    authorization: `ACS3-HMAC-SHA256 Credential=${input.accessKeyId},SignedHeaders=${signed.join(';')},Signature=${signature}`,
  };
}
