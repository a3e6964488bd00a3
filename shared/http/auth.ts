import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { rfc3986 } from '../aliyun/signature-v3.ts';
import type { MiddlewareHandler } from 'hono';
import type { Clock } from '../clock.ts';
import { sendError } from './errors.ts';

/**
 * Who may call the API: a request signed with the shared secret, or a bearer token. Both
 * compared in constant time; a 401 names the reason, never anything about the secret.
 *
 *   X-Zpl-Timestamp: <unix seconds>            within ±5 minutes of the server's clock
 *   X-Zpl-Nonce:     <16–64 of A–Z a–z 0–9 _ ->  new for every request; accepted once
 *   X-Zpl-Signature: v2=<hex HMAC-SHA256(secret, "v2" \n METHOD \n PATH \n QUERY \n TIMESTAMP \n NONCE \n hex SHA256(body))>
 *
 * QUERY is the canonical query string: every parameter as RFC 3986 `key=value` (unreserved
 * characters left as they are, everything else %XX in upper case), sorted by key then value,
 * joined with `&`; empty without one. So the query is signed (`?flow=` cannot be swapped), and
 * two identical requests within a second differ by their nonces instead of one being taken for
 * a replay of the other. The older `v1` (no query, no nonce) is refused.
 */
export interface AuthConfig {
  hmacSecret?: string;
  bearerToken?: string;
}

export const MAX_SKEW_SECONDS = 300;
export const NONCE = /^[A-Za-z0-9_-]{16,64}$/;

/** The canonical form of a query string (with or without its `?`). */
export function canonicalQuery(search: string): string {
  const pairs = [...new URLSearchParams(search)].map(([k, v]) => [rfc3986(k), rfc3986(v)] as const);
  pairs.sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

export interface SignedParts {
  method: string;
  /** The path, as sent (percent-encoded), without the query. */
  path: string;
  /** The query string as sent (`?a=1&b=2` or empty). */
  query: string;
  timestamp: string;
  nonce: string;
  body: string | Uint8Array;
}

export function signatureBase(p: SignedParts): string {
  const bodyHash = createHash('sha256').update(p.body).digest('hex');
  return ['v2', p.method.toUpperCase(), p.path, canonicalQuery(p.query), p.timestamp, p.nonce, bodyHash].join('\n');
}

/** `v2=<hex>`: the X-Zpl-Signature value for a request (API calls and callbacks alike). */
export const zplSignature = (secret: string, parts: SignedParts) =>
  `v2=${createHmac('sha256', secret).update(signatureBase(parts)).digest('hex')}`;

/**
 * The headers a client sends (used by the tests, callbacks and any Node caller); `path` may
 * carry a query (`/v1/links/executions/x?flow=drift`).
 */
export function signRequest(
  secret: string,
  req: { method: string; path: string; body?: string; now?: number; nonce?: string },
): Record<string, string> {
  const timestamp = String(Math.floor((req.now ?? Date.now()) / 1000));
  const nonce = req.nonce ?? randomBytes(16).toString('hex');
  const at = req.path.indexOf('?');
  const [path, query] = at < 0 ? [req.path, ''] : [req.path.slice(0, at), req.path.slice(at)];
  return {
    'x-zpl-timestamp': timestamp,
    'x-zpl-nonce': nonce,
    'x-zpl-signature': zplSignature(secret, { method: req.method, path, query, timestamp, nonce, body: req.body ?? '' }),
  };
}

/** Constant-time comparison of two strings of any length. */
export const same = (a: string, b: string) => {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y) && a.length === b.length;
};

/** Nonces seen within the freshness window (per function instance): each is accepted once. */
export class ReplayGuard {
  private readonly seen = new Map<string, number>();
  claim(nonce: string, now: number): boolean {
    if (this.seen.size > 50_000) for (const [s, exp] of this.seen) if (exp < now) this.seen.delete(s);
    const exp = this.seen.get(nonce);
    if (exp !== undefined && exp >= now) return false;
    this.seen.set(nonce, now + 2 * MAX_SKEW_SECONDS * 1000);
    return true;
  }
}

/**
 * `Authorization: Bearer <token>`, the scheme matched case-insensitively: "It uses a
 * case-insensitive token to identify the authentication scheme" (RFC 9110 §11.1; RFC 7235 §2.1
 * before it), so `bearer` and `BEARER` are the same scheme.
 */
const BEARER = /^bearer[ \t]+(\S.*)$/i;

/**
 * Runs after the body limit (app.ts), so hashing a body for the signature reads at most
 * MAX_BODY_BYTES: a larger one is a 413 before any hashing.
 */
export function requireAuth(config: AuthConfig, clock: Clock, replays = new ReplayGuard()): MiddlewareHandler {
  return async (c, next) => {
    if (!config.hmacSecret && !config.bearerToken)
      return sendError(c, 401, 'auth.not_configured', 'the API has no credentials configured (ZPL_API_HMAC_SECRET or ZPL_API_TOKEN)');
    const authorization = c.req.header('authorization');
    const signature = c.req.header('x-zpl-signature');
    const bearer = authorization === undefined ? null : BEARER.exec(authorization.trim());
    if (bearer) {
      if (!config.bearerToken || !same(bearer[1]!.trim(), config.bearerToken))
        return sendError(c, 401, 'auth.bad_token', 'the bearer token is not valid');
      return next();
    }
    if (signature) {
      const timestamp = c.req.header('x-zpl-timestamp') ?? '';
      const nonce = c.req.header('x-zpl-nonce') ?? '';
      if (!config.hmacSecret) return sendError(c, 401, 'auth.bad_signature', 'signed requests are not enabled');
      if (!/^\d{9,11}$/.test(timestamp)) return sendError(c, 401, 'auth.bad_timestamp', 'X-Zpl-Timestamp must be Unix seconds');
      if (Math.abs(clock.now() / 1000 - Number(timestamp)) > MAX_SKEW_SECONDS)
        return sendError(c, 401, 'auth.expired', 'the request timestamp is more than 5 minutes away from now');
      if (!NONCE.test(nonce))
        return sendError(c, 401, 'auth.bad_nonce', 'X-Zpl-Nonce must be 16–64 letters, digits, _ or -, new for every request');
      if (!signature.startsWith('v2='))
        return sendError(c, 401, 'auth.bad_signature', 'sign with v2 (query and nonce included): X-Zpl-Signature: v2=<hex>');
      const body = new Uint8Array(await c.req.raw.clone().arrayBuffer());
      const url = new URL(c.req.url);
      const expected = zplSignature(config.hmacSecret, {
        method: c.req.method,
        path: url.pathname,
        query: url.search,
        timestamp,
        nonce,
        body,
      });
      if (!same(signature, expected)) return sendError(c, 401, 'auth.bad_signature', 'the signature does not match the request');
      if (!replays.claim(nonce, clock.now()))
        return sendError(c, 401, 'auth.replayed', 'this nonce was already used: sign each request anew');
      return next();
    }
    return sendError(
      c,
      401,
      'auth.missing',
      'sign the request (X-Zpl-Timestamp, X-Zpl-Nonce, X-Zpl-Signature) or send Authorization: Bearer <token>',
    );
  };
}
