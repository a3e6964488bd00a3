import { LINGER_MS, nextPollSeconds } from './polling.ts';

/**
 * CloudFlow keeps at most 5,000 history events per execution (cloud-facts §3; the engine's
 * EVENT_LIMIT); past that the run fails with no Report, no Notify, no callback. A wait costs one
 * poll round per flow loop — the check Task (StepEntered, TaskScheduled, TaskStarted,
 * TaskSucceeded, StepExited), the Choice (2) and the Wait (2): 9 events, counted as 10 for the
 * retries a round may need. The spec accepts only deadlines whose waits, all run to their end,
 * leave room for every other state and a margin, so every run reaches Report and Notify.
 */
export const EVENT_LIMIT = 5_000;
export const EVENTS_PER_POLL_ROUND = 10;
/** Every state outside the wait loops, retries included (test/provision-e2e.test.ts holds a run to it). */
export const EVENTS_OUTSIDE_WAITS = 400;
/** What the waits may use together: the limit less the other states and 5% in reserve. */
export const WAIT_EVENT_BUDGET = EVENT_LIMIT * 0.95 - EVENTS_OUTSIDE_WAITS;

/** Poll rounds a wait takes to reach its deadline, paced as the check steps pace it (the first minute inside the step). */
export function pollRounds(deadlineSeconds: number): number {
  const deadlineMs = deadlineSeconds * 1000;
  let elapsed = LINGER_MS;
  let rounds = 1;
  while (elapsed < deadlineMs) {
    elapsed += nextPollSeconds(elapsed, deadlineMs - elapsed) * 1000;
    rounds++;
  }
  return rounds;
}

export const waitEvents = (deadlineSeconds: number) => pollRounds(deadlineSeconds) * EVENTS_PER_POLL_ROUND;

/** The history events the waits of a run may take with these deadlines, all run to their end. */
export const waitsEvents = (deadlines: number[]) => deadlines.reduce((n, d) => n + waitEvents(d), 0);

/** The longest endpointActiveSeconds whose three teardown waits fit the budget (for the spec's message). */
export function maxTeardownWaitSeconds(): number {
  let lo = 60;
  let hi = 86_400;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (waitsEvents([mid, mid, mid]) <= WAIT_EVENT_BUDGET) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
