import type { Clock } from './clock.ts';

/**
 * A clock read from another process's clock endpoint (`GET → {now, scale}`), so step functions
 * see the same scaled time as the emulators and the local engine. Read once per invocation,
 * then extrapolated with the scale.
 */
export async function remoteClock(url: string): Promise<Clock> {
  const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
  if (!res.ok) throw new Error(`clock endpoint ${url} answered ${res.status}`);
  const { now, scale } = (await res.json()) as { now: number; scale: number };
  const readAt = Date.now();
  return {
    now: () => now + (Date.now() - readAt) * scale,
    // With time stopped (scale 0) a step must not hang: a short real pause stands in.
    sleep: (ms) => new Promise((r) => setTimeout(r, scale > 0 ? Math.ceil(ms / scale) : Math.min(ms, 10))),
  };
}
