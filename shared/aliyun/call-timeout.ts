import type { Clock } from '../clock.ts';

/**
 * How long one call may take before the transport gives up on it. A long poll
 * (`WaitTimeSeconds`, FnF DescribeExecution: "请求长轮询的最长等待时间。取值范围[0,60]，单位为秒",
 * fnf_2019-03-15 metadata) is held open by the server for up to that long, so its timeout is
 * the usual connect + read allowance *plus* the wait: a 30 s long poll must not be cut at 20 s.
 */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
export const DEFAULT_READ_TIMEOUT_MS = 15_000;

export function callTimeoutMs(query: Record<string, string>, opts: { connectTimeoutMs?: number; readTimeoutMs?: number } = {}): number {
  const wait = Number(query.WaitTimeSeconds ?? 0);
  const longPoll = Number.isFinite(wait) && wait > 0 ? wait * 1000 : 0;
  return (opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS) + (opts.readTimeoutMs ?? DEFAULT_READ_TIMEOUT_MS) + longPoll;
}

/**
 * An abort signal after `ms`, on wall time or on the given clock; `done` drops the timer. A clock
 * that fails (the local stack's clock endpoint gone while a call is out) aborts the call with its
 * error: the call cannot be timed any more, and the failure must not go unhandled.
 */
export function timeoutSignal(ms: number, clock?: Clock): { signal: AbortSignal; done: () => void } {
  if (!clock) return { signal: AbortSignal.timeout(ms), done: () => undefined };
  const fired = new AbortController();
  const finished = new AbortController();
  clock.sleep(ms, finished.signal).then(
    () => fired.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')),
    (error: unknown) => {
      if (!finished.signal.aborted) fired.abort(error);
    },
  );
  return { signal: fired.signal, done: () => finished.abort() };
}
