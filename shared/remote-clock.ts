import type { Clock } from './clock.ts';

/**
 * The local stack's emulated clock, seen from a step function (`ZPL_CLOCK_URL`): `GET` gives
 * the time, `POST …/sleep {ms}` answers once that much emulated time has passed. The emulated
 * clock stands still while a function works, so the time read at the start (and after each
 * sleep) stays true until the next sleep. An aborted sleep (a call's timeout once the call is
 * answered) closes its request, which drops the sleep on the clock, and never resolves.
 */
export async function remoteClock(url: string): Promise<Clock> {
  const read = async (res: Response) => {
    if (!res.ok) throw new Error(`clock endpoint ${url} answered ${res.status}`);
    return ((await res.json()) as { now: number }).now;
  };
  let now = await read(await fetch(url, { signal: AbortSignal.timeout(10_000) }));
  return {
    now: () => now,
    sleep: async (ms, signal) => {
      const never = new Promise<void>(() => {});
      if (signal?.aborted) return never;
      try {
        now = await read(
          await fetch(`${url}/sleep`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ ms: Math.max(0, ms) }),
            signal,
          }),
        );
      } catch (e) {
        if (signal?.aborted) return never;
        throw e;
      }
    },
  };
}
