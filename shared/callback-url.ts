/**
 * Where a ticketing system may ask to be called back: HTTPS to a host on the configured
 * allowlist (plain HTTP only to a loopback host, which only exists in local mode). Checked when
 * the request arrives and again before the call, so a request cannot make the functions call
 * an arbitrary address.
 */
export type CallbackCheck = { ok: true; url: URL } | { ok: false; reason: string };

const LOOPBACK = /^(127(\.\d{1,3}){3}|localhost|\[::1\])$/;

export function checkCallbackUrl(raw: unknown, allowedHosts: string[]): CallbackCheck {
  if (typeof raw !== 'string' || raw.length > 2048)
    return { ok: false, reason: 'callbackUrl must be a URL string of at most 2048 characters' };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'callbackUrl is not a URL' };
  }
  if (url.username || url.password) return { ok: false, reason: 'callbackUrl must not carry credentials' };
  const host = url.hostname.toLowerCase();
  if (url.protocol === 'http:' && !LOOPBACK.test(host)) return { ok: false, reason: 'callbackUrl must use https' };
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, reason: 'callbackUrl must use https' };
  const allowed = allowedHosts.some((h) => h === host || h === url.host.toLowerCase());
  if (!allowed) return { ok: false, reason: `callback host ${url.host} is not on the allowlist (ZPL_CALLBACK_HOSTS)` };
  return { ok: true, url };
}
