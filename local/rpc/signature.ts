import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { rfc3986 } from '../../shared/aliyun/signature-v3.ts';
import { gatewayErrors } from './error.ts';

/**
 * Verifies both Alibaba signature schemes exactly as the gateway computes them
 * (cloud-facts §2): V3 `ACS3-HMAC-SHA256` over a canonical request, and V1 HMAC-SHA1 over
 * the sorted, RFC3986-encoded parameters. Freshness uses real time (clients sign with it),
 * not the emulated clock.
 */

export interface SignedRequest {
  method: string;
  pathname: string;
  /** Decoded query parameters. */
  query: Record<string, string>;
  /** Decoded form-body parameters (V1 POST). */
  form: Record<string, string>;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  body: Buffer;
}

export interface Verified {
  /** '' for an unsigned request. */
  accessKeyId: string;
  scheme: 'V3' | 'V1' | 'anonymous';
  action: string | undefined;
  version: string | undefined;
  /** The SecurityToken sent with a temporary key (V3 `x-acs-security-token`, V1 `SecurityToken`). */
  securityToken?: string;
}

export type SecretLookup = (accessKeyId: string) => string | undefined;

const MAX_SKEW_MS = 15 * 60 * 1000;

const hex = (b: Buffer) => b.toString('hex');
const sameText = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

export class NonceBook {
  private readonly seen = new Map<string, number>();
  /** False when the nonce was already used within the freshness window. */
  claim(nonce: string, now = Date.now()): boolean {
    if (this.seen.size > 10_000) for (const [n, exp] of this.seen) if (exp < now) this.seen.delete(n);
    const exp = this.seen.get(nonce);
    if (exp !== undefined && exp >= now) return false;
    this.seen.set(nonce, now + MAX_SKEW_MS);
    return true;
  }
}

function checkFresh(stamp: string | undefined) {
  const t = stamp ? Date.parse(stamp) : NaN;
  if (!stamp || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(stamp) || Number.isNaN(t)) {
    throw gatewayErrors.incompleteSignature('missing or malformed timestamp');
  }
  if (Math.abs(Date.now() - t) > MAX_SKEW_MS) throw gatewayErrors.timestampExpired();
}

/** Which actions may come unsigned (STS AssumeRoleWithOIDC), by API version and action. */
export type AnonymousAllowed = (version: string | undefined, action: string | undefined) => boolean;

export function verifySignature(req: SignedRequest, secretOf: SecretLookup, nonces: NonceBook, anonymous?: AnonymousAllowed): Verified {
  const auth = req.headers['authorization'];
  if (auth?.startsWith('ACS3-HMAC-SHA256 ')) return verifyV3(req, auth, secretOf, nonces);
  const params = { ...req.query, ...req.form };
  if (params.Signature !== undefined) return verifyV1(req, params, secretOf, nonces);
  const action = req.headers['x-acs-action'] ?? params.Action;
  const version = req.headers['x-acs-version'] ?? params.Version;
  if (anonymous?.(version, action)) return { accessKeyId: '', scheme: 'anonymous', action, version };
  throw gatewayErrors.incompleteSignature('no signature');
}

function verifyV3(req: SignedRequest, auth: string, secretOf: SecretLookup, nonces: NonceBook): Verified {
  const fields = Object.fromEntries(
    auth
      .slice('ACS3-HMAC-SHA256 '.length)
      .split(',')
      .map((part) => {
        const i = part.indexOf('=');
        return [part.slice(0, i).trim(), part.slice(i + 1).trim()];
      }),
  );
  const { Credential: accessKeyId, SignedHeaders: signedList, Signature: signature } = fields;
  if (!accessKeyId || !signedList || !signature)
    throw gatewayErrors.incompleteSignature('Authorization lacks Credential, SignedHeaders or Signature');
  const secret = secretOf(accessKeyId);
  if (secret === undefined) throw gatewayErrors.accessKeyNotFound();

  const signed = signedList.split(';');
  const sorted = [...signed].sort();
  if (signed.join(';') !== sorted.join(';')) throw gatewayErrors.signatureMismatch();
  for (const required of ['host', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-content-sha256', 'x-acs-action', 'x-acs-version']) {
    if (!signed.includes(required)) throw gatewayErrors.incompleteSignature(`${required} is not signed`);
  }
  // Every x-acs-* header sent must be covered by the signature.
  for (const name of Object.keys(req.headers)) {
    if (name.startsWith('x-acs-') && !signed.includes(name)) throw gatewayErrors.signatureMismatch();
  }
  const payloadHash = req.headers['x-acs-content-sha256'] ?? '';
  if (!sameText(payloadHash, hex(createHash('sha256').update(req.body).digest()))) throw gatewayErrors.signatureMismatch();

  const canonicalQuery = Object.keys(req.query)
    .sort()
    .map((k) => `${rfc3986(k)}=${rfc3986(req.query[k] ?? '')}`)
    .join('&');
  const canonicalHeaders = signed.map((h) => `${h}:${(req.headers[h] ?? '').trim()}\n`).join('');
  const canonicalRequest = [req.method, req.pathname || '/', canonicalQuery, canonicalHeaders, signed.join(';'), payloadHash].join('\n');
  const stringToSign = `ACS3-HMAC-SHA256\n${hex(createHash('sha256').update(canonicalRequest).digest())}`;
  const expected = hex(createHmac('sha256', secret).update(stringToSign).digest());
  if (!sameText(expected, signature)) throw gatewayErrors.signatureMismatch();

  checkFresh(req.headers['x-acs-date']);
  if (!nonces.claim(`${accessKeyId}:${req.headers['x-acs-signature-nonce']}`)) throw gatewayErrors.nonceUsed();
  return {
    accessKeyId,
    scheme: 'V3',
    action: req.headers['x-acs-action'],
    version: req.headers['x-acs-version'],
    securityToken: req.headers['x-acs-security-token'] || undefined,
  };
}

function verifyV1(req: SignedRequest, params: Record<string, string>, secretOf: SecretLookup, nonces: NonceBook): Verified {
  const accessKeyId = params.AccessKeyId;
  if (!accessKeyId) throw gatewayErrors.incompleteSignature('AccessKeyId is missing');
  if (params.SignatureMethod !== 'HMAC-SHA1') throw gatewayErrors.incompleteSignature('SignatureMethod must be HMAC-SHA1');
  if (!params.SignatureNonce) throw gatewayErrors.incompleteSignature('SignatureNonce is missing');
  const secret = secretOf(accessKeyId);
  if (secret === undefined) throw gatewayErrors.accessKeyNotFound();

  const canonical = Object.keys(params)
    .filter((k) => k !== 'Signature')
    .sort()
    .map((k) => `${rfc3986(k)}=${rfc3986(params[k] ?? '')}`)
    .join('&');
  const stringToSign = `${req.method}&${rfc3986('/')}&${rfc3986(canonical)}`;
  const expected = createHmac('sha1', `${secret}&`).update(stringToSign).digest('base64');
  if (!sameText(expected, params.Signature ?? '')) throw gatewayErrors.signatureMismatch();

  checkFresh(params.Timestamp);
  if (!nonces.claim(`${accessKeyId}:${params.SignatureNonce}`)) throw gatewayErrors.nonceUsed();
  return { accessKeyId, scheme: 'V1', action: params.Action, version: params.Version, securityToken: params.SecurityToken || undefined };
}
