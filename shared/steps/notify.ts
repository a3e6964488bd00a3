import { checkCallbackUrl } from '../callback-url.ts';
import type { Clock } from '../clock.ts';
import { signRequest } from '../http/auth.ts';
import type { Logger } from '../log.ts';
import { backoffDelay } from '../retry.ts';
import type { LinkReport } from './report.ts';

/**
 * Tells the requester how the run ended: a POST of the report to the callback URL the ticket
 * gave, signed like API requests (X-Zpl-Timestamp, X-Zpl-Signature with the callback secret),
 * retried with back-off on 5xx and network errors. A 4xx is final. Never changes the outcome.
 */
export interface NotifyInput {
  execution: string;
  ticketId?: string;
  callback?: { url: string };
  report: LinkReport;
}

export interface NotifyResult {
  callback: 'none' | 'delivered' | 'refused' | 'rejected' | 'unreachable';
  attempts: number;
  status?: number;
  reason?: string;
}

export interface NotifyDeps {
  allowedHosts: string[];
  secret?: string;
  clock: Clock;
  log: Logger;
  fetch?: typeof fetch;
  maxAttempts?: number;
}

export async function notify(input: NotifyInput, deps: NotifyDeps): Promise<NotifyResult> {
  if (!input.callback?.url) return { callback: 'none', attempts: 0 };
  const check = checkCallbackUrl(input.callback.url, deps.allowedHosts);
  if (!check.ok) return { callback: 'refused', attempts: 0, reason: check.reason };
  if (!deps.secret)
    return { callback: 'refused', attempts: 0, reason: 'ZPL_CALLBACK_SECRET is not set: callbacks are not signed, so none is sent' };
  const body = JSON.stringify({
    type: input.report.ok ? 'zpl.link.succeeded' : 'zpl.link.failed',
    execution: input.execution,
    ...(input.ticketId ? { ticketId: input.ticketId } : {}),
    report: input.report,
  });
  const policy = { maxAttempts: deps.maxAttempts ?? 5, baseDelayMs: 1000, maxDelayMs: 30_000 };
  const doFetch = deps.fetch ?? fetch;
  let last: NotifyResult = { callback: 'unreachable', attempts: 0 };
  for (let attempt = 1; attempt <= policy.maxAttempts; attempt++) {
    try {
      const res = await doFetch(check.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...signRequest(deps.secret, { method: 'POST', path: `${check.url.pathname}${check.url.search}`, body }),
          'x-zpl-delivery-attempt': String(attempt),
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(10_000),
      });
      if (res.status >= 200 && res.status < 300) return { callback: 'delivered', attempts: attempt, status: res.status };
      last = { callback: res.status >= 500 || res.status === 429 ? 'unreachable' : 'rejected', attempts: attempt, status: res.status };
      if (last.callback === 'rejected') return last;
    } catch (e) {
      last = { callback: 'unreachable', attempts: attempt, reason: e instanceof Error ? e.message : String(e) };
    }
    deps.log.warn('notify.retry', { attempt, status: last.status, reason: last.reason });
    if (attempt < policy.maxAttempts) await deps.clock.sleep(backoffDelay(policy, attempt - 1));
  }
  return last;
}
