import type { Clock } from '../clock.ts';
import type { LinkState, WaitStatus } from './types.ts';

/**
 * Poll pacing for Task(check) → Choice → Wait loops: the pause grows with the time already
 * waited (5 s at first, a tenth of the elapsed time later, at most 300 s — the longest Wait
 * CloudFlow's Standard mode allows, Wait state page) and never runs past the deadline, so a
 * slow resource costs few state transitions and history events, and a fast one is seen quickly.
 */
export const MIN_POLL_SECONDS = 5;
export const MAX_POLL_SECONDS = 300;

export function nextPollSeconds(elapsedMs: number, leftMs: number): number {
  const grown = Math.round(elapsedMs / 10_000);
  const pause = Math.min(MAX_POLL_SECONDS, Math.max(MIN_POLL_SECONDS, grown));
  return Math.max(1, Math.min(pause, Math.ceil(leftMs / 1000)));
}

/**
 * Starts or continues the named wait and says how it stands. A new wait began at `since`
 * (when its first poll started, before any in-step linger), so its deadline counts from there.
 */
export function waitStep(
  state: LinkState,
  name: string,
  deadlineSeconds: number,
  now: number,
  ready: boolean,
  waitingFor: string,
  since = now,
): { state: LinkState; wait: WaitStatus; expired: boolean } {
  const clock = state.waits?.[name] ?? { since, polls: 0 };
  const deadline = clock.since + deadlineSeconds * 1000;
  const next = { ...clock, polls: clock.polls + 1 };
  const waits = { ...state.waits };
  if (ready) delete waits[name];
  else waits[name] = next;
  return {
    state: { ...state, waits },
    wait: {
      ready,
      nextPollSeconds: nextPollSeconds(now - clock.since, deadline - now),
      deadline: new Date(deadline).toISOString(),
      waitingFor,
    },
    expired: !ready && now >= deadline,
  };
}

/**
 * The first minute of a wait is polled inside the step, every 5 s: a resource that is ready
 * within a minute costs one state transition instead of a dozen (about one transition's price
 * in FC GB-seconds while it sleeps). After that the flow's Wait loop takes over, pacing itself
 * at a tenth of the time waited, so detection lag stays within max(5 s, 10% of the wait).
 */
export const LINGER_MS = 55_000;
const MAX_LINGER_CHECKS = 12;

export async function lingerUntilReady<T extends { ready: boolean }>(
  clock: Clock,
  state: LinkState,
  name: string,
  probe: () => Promise<T>,
): Promise<T & { since: number }> {
  // The wait began when its first poll did: pass `since` on to waitStep, so a later
  // invocation neither lingers again nor moves the deadline.
  const since = state.waits?.[name]?.since ?? clock.now();
  for (let i = 1; ; i++) {
    const result = await probe();
    const elapsed = clock.now() - since;
    if (result.ready || elapsed + MIN_POLL_SECONDS * 1000 > LINGER_MS || i >= MAX_LINGER_CHECKS) return { ...result, since };
    const before = clock.now();
    await clock.sleep(MIN_POLL_SECONDS * 1000);
    // A clock that did not move (time stopped in a test) leaves the waiting to the flow.
    if (clock.now() === before) return { ...result, since };
  }
}
