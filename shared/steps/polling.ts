import type { LinkState, WaitStatus } from './types.ts';

/**
 * Poll pacing for Task(check) → Choice → Wait loops: the pause grows with the time already
 * waited (5 s at first, a tenth of the elapsed time later, at most 60 s) and never runs past
 * the deadline, so a slow resource costs few state transitions and a fast one is seen quickly.
 */
export const MIN_POLL_SECONDS = 5;
export const MAX_POLL_SECONDS = 60;

export function nextPollSeconds(elapsedMs: number, leftMs: number): number {
  const grown = Math.round(elapsedMs / 10_000);
  const pause = Math.min(MAX_POLL_SECONDS, Math.max(MIN_POLL_SECONDS, grown));
  return Math.max(1, Math.min(pause, Math.ceil(leftMs / 1000)));
}

/** Starts or continues the named wait and says how it stands. */
export function waitStep(state: LinkState, name: string, deadlineSeconds: number, now: number, ready: boolean, waitingFor: string): { state: LinkState; wait: WaitStatus; expired: boolean } {
  const clock = state.waits?.[name] ?? { since: now, polls: 0 };
  const deadline = clock.since + deadlineSeconds * 1000;
  const next = { ...clock, polls: clock.polls + 1 };
  const waits = { ...state.waits };
  if (ready) delete waits[name];
  else waits[name] = next;
  return {
    state: { ...state, waits },
    wait: { ready, nextPollSeconds: nextPollSeconds(now - clock.since, deadline - now), deadline: new Date(deadline).toISOString(), waitingFor },
    expired: !ready && now >= deadline,
  };
}
