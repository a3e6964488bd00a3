/**
 * Where a ticketing system may ask to be called back: HTTPS to a host on the configured
 * allowlist (plain HTTP only to a loopback host, which only exists in local mode). Checked when
 * the request arrives and again before the call, so a request cannot make the functions call
 * an arbitrary address.
 */
export type CallbackCheck = { ok: true; url: URL } | { ok: false; reason: string };

const LOOPBACK = /^(127(\.\d{1,3}){3}|localhost|\[::1\])$/;

/**
 * An allowlist entry names a host and port, `host:port`; a bare `host` is HTTPS's own port, 443.
 * So allowing a host does not allow every service on it (an admin port, a metadata endpoint).
 */
function allowlisted(entry: string): string {
  const e = entry.trim().toLowerCase();
  return /:\d+$/.test(e) ? e : `${e}:443`;
}

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
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const allowed = allowedHosts.some((entry) => allowlisted(entry) === `${host}:${port}`);
  if (!allowed)
    return {
      ok: false,
      reason: `callback host ${url.host} is not on the allowlist (ZPL_CALLBACK_HOSTS)${url.port ? `: list it with its port, ${host}:${port}` : ''}`,
    };
  return { ok: true, url };
}
