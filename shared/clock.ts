import { untilAborted } from './abort-scope.ts';

/**
 * One injectable clock for the emulators, the local engine and the steps. In the cloud it is
 * the system clock; the local world uses an emulated one (local/time/emulated-clock.ts) that
 * skips ahead whenever everything waits, so a ten-minute provisioning replays in moments.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch, in this clock's time. */
  now(): number;
  /** Resolves once this clock has moved `ms` forward; an aborted sleep never resolves and holds no timer. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * `clock.sleep`, cut short by `signal`: rejects with the signal's reason once it aborts (a bare
 * aborted sleep never settles), so a retry back-off stops with the fan-out it belongs to.
 */
export const sleepOrAbort = (clock: Clock, ms: number, signal?: AbortSignal): Promise<void> =>
  untilAborted(clock.sleep(ms, signal), signal);

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted) return;
      const onAbort = () => clearTimeout(timer);
      const timer = setTimeout(
        () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        Math.max(0, ms),
      );
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};
