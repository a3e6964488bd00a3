import { currentSignal, withSignal } from './abort-scope.ts';

/** What the calls still in flight are aborted with when another call of their fan-out failed. */
export class FanOutStopped extends Error {
  constructor() {
    super('stopped: another call of the same fan-out failed');
    this.name = 'AbortError';
  }
}

/**
 * How many reads of one fan-out run at once (per cluster, per link, per region). Zilliz allows 20
 * requests a second per key and route (cloud-facts §1; the client keeps under 18) and a slow
 * answer must not pile up calls behind it: 8 in flight keeps any step, plan or drift page well
 * inside the vendors' rates, whatever the size of the list.
 */
export const READS_AT_ONCE = 8;

/**
 * Runs `run` over `items` with at most `width` in flight and answers in the items' order. The first
 * failure stops the fan-out: items not yet started are never started, and the calls in flight are
 * aborted (the signal is handed to `run` and, through abort-scope.ts, to the transports' fetch and
 * retry sleeps); once every started item has settled, that first error is thrown. A fan-out inside
 * another stops with it.
 */
export async function pool<T, R>(items: readonly T[], width: number, run: (item: T, signal: AbortSignal) => Promise<R>): Promise<R[]> {
  const parent = currentSignal();
  const stop = new AbortController();
  const signal = parent ? AbortSignal.any([parent, stop.signal]) : stop.signal;
  const out: R[] = new Array(items.length);
  let failure: { error: unknown } | undefined;
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length && !signal.aborted) {
        const i = next++;
        try {
          out[i] = await withSignal(signal, () => run(items[i]!, signal));
        } catch (error) {
          if (!failure) {
            failure = { error };
            stop.abort(new FanOutStopped());
          }
        }
      }
    }),
  );
  if (failure) throw failure.error;
  if (parent?.aborted) throw parent.reason;
  return out;
}

/**
 * A fixed set of different calls (`Promise.all` of thunks) under the same rule: all at once, and
 * the first failure aborts the rest. Typed per position, as `Promise.all` is.
 */
export function together<T extends readonly unknown[]>(tasks: {
  readonly [K in keyof T]: (signal: AbortSignal) => Promise<T[K]>;
}): Promise<T> {
  const list = tasks as readonly ((signal: AbortSignal) => Promise<unknown>)[];
  return pool(list, list.length, (task, signal) => task(signal)) as Promise<unknown> as Promise<T>;
}
