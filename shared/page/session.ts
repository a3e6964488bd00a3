import { createHmac } from 'node:crypto';
import { same } from '../http/auth.ts';

/**
 * The page's session: after a login with the API token, a cookie `zpl_session=<expiry>.<MAC>`,
 * HMAC-SHA256 under a key derived from the token (a new token ends every session), valid for
 * SESSION_SECONDS. It carries no secret and no identity beyond "knew the token"; HttpOnly (no
 * script reads it), SameSite=Strict (no other site's page sends it) and Secure over HTTPS.
 */
export const SESSION_COOKIE = 'zpl_session';
export const SESSION_SECONDS = 30 * 60;

const sessionKey = (token: string) => createHmac('sha256', token).update('zpl-page-session-v1').digest();
const mac = (token: string, expiry: number) => createHmac('sha256', sessionKey(token)).update(`v1.${expiry}`).digest('hex');

export function issueSession(token: string, nowMs: number): string {
  const expiry = Math.floor(nowMs / 1000) + SESSION_SECONDS;
  return `${expiry}.${mac(token, expiry)}`;
}

export function validSession(token: string, value: string | undefined, nowMs: number): boolean {
  const m = /^(\d{9,11})\.([0-9a-f]{64})$/.exec(value ?? '');
  if (!m) return false;
  const expiry = Number(m[1]);
  return expiry > nowMs / 1000 && expiry <= nowMs / 1000 + SESSION_SECONDS && same(m[2]!, mac(token, expiry));
}

/** The Set-Cookie value: `secure` when the page is served over HTTPS. */
export function sessionCookie(value: string, secure: boolean, maxAge = SESSION_SECONDS): string {
  return `${SESSION_COOKIE}=${value}; Path=/page; Max-Age=${maxAge}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}
