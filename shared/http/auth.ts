import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { Clock } from '../clock.ts';
import { sendError } from './errors.ts';

/**
 * Who may call the API: a request signed with the shared secret (HMAC-SHA256 over method, path,
 * timestamp and body hash; ±5 minutes; a signature is accepted once), or a bearer token. Both
 * compared in constant time; a 401 names the reason, never anything about the secret.
 *
 *   X-Zpl-Timestamp: <unix seconds>
 *   X-Zpl-Signature: v1=<hex HMAC-SHA256(secret, METHOD \n PATH \n TIMESTAMP \n hex SHA256(body))>
 */
export interface AuthConfig {
  hmacSecret?: string;
  bearerToken?: string;
}

export const MAX_SKEW_SECONDS = 300;

export function signatureBase(method: string, path: string, timestamp: string, body: string | Uint8Array): string {
  return `${method.toUpperCase()}\n${path}\n${timestamp}\n${createHash('sha256').update(body).digest('hex')}`;
}

/** `v1=<hex>`: the X-Zpl-Signature value for a request (API calls and callbacks alike). */
export const zplSignature = (secret: string, method: string, path: string, timestamp: string, body: string | Uint8Array) =>
  `v1=${createHmac('sha256', secret)
    .update(signatureBase(method, path, timestamp, body))
    .digest('hex')}`;

/** The headers a client sends (used by the tests, the docs' example, callbacks and any Node caller). */
export function signRequest(secret: string, req: { method: string; path: string; body?: string; now?: number }): Record<string, string> {
  const timestamp = String(Math.floor((req.now ?? Date.now()) / 1000));
  return { 'x-zpl-timestamp': timestamp, 'x-zpl-signature': zplSignature(secret, req.method, req.path, timestamp, req.body ?? '') };
}

/** Constant-time comparison of two strings of any length. */
export const same = (a: string, b: string) => {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y) && a.length === b.length;
};

/** Signatures seen within the freshness window (per function instance). */
export class ReplayGuard {
  private readonly seen = new Map<string, number>();
  claim(signature: string, now: number): boolean {
    if (this.seen.size > 50_000) for (const [s, exp] of this.seen) if (exp < now) this.seen.delete(s);
    const exp = this.seen.get(signature);
    if (exp !== undefined && exp >= now) return false;
    this.seen.set(signature, now + 2 * MAX_SKEW_SECONDS * 1000);
    return true;
  }
}

export function requireAuth(config: AuthConfig, clock: Clock, replays = new ReplayGuard()): MiddlewareHandler {
  return async (c, next) => {
    if (!config.hmacSecret && !config.bearerToken)
      return sendError(c, 401, 'auth.not_configured', 'the API has no credentials configured (ZPL_API_HMAC_SECRET or ZPL_API_TOKEN)');
    const authorization = c.req.header('authorization');
    const signature = c.req.header('x-zpl-signature');
    if (authorization?.startsWith('Bearer ')) {
      if (!config.bearerToken || !same(authorization.slice(7).trim(), config.bearerToken))
        return sendError(c, 401, 'auth.bad_token', 'the bearer token is not valid');
      return next();
    }
    if (signature) {
      const timestamp = c.req.header('x-zpl-timestamp') ?? '';
      if (!config.hmacSecret) return sendError(c, 401, 'auth.bad_signature', 'signed requests are not enabled');
      if (!/^\d{9,11}$/.test(timestamp)) return sendError(c, 401, 'auth.bad_timestamp', 'X-Zpl-Timestamp must be Unix seconds');
      if (Math.abs(clock.now() / 1000 - Number(timestamp)) > MAX_SKEW_SECONDS)
        return sendError(c, 401, 'auth.expired', 'the request timestamp is more than 5 minutes away from now');
      const body = new Uint8Array(await c.req.raw.clone().arrayBuffer());
      const expected = zplSignature(config.hmacSecret, c.req.method, new URL(c.req.url).pathname, timestamp, body);
      if (!same(signature, expected)) return sendError(c, 401, 'auth.bad_signature', 'the signature does not match the request');
      if (!replays.claim(signature, clock.now())) return sendError(c, 401, 'auth.replayed', 'this signed request was already used');
      return next();
    }
    return sendError(c, 401, 'auth.missing', 'sign the request (X-Zpl-Timestamp, X-Zpl-Signature) or send Authorization: Bearer <token>');
  };
}
