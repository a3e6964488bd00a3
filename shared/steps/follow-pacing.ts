import { EVENT_LIMIT, EVENTS_PER_POLL_ROUND } from './event-budget.ts';
import { MAX_POLL_SECONDS } from './polling.ts';

/**
 * How a follower (flows/follow.yaml) paces its look at the run it follows: every minute at
 * first, then a tenth of the run's age, at most 300 s (Wait's maximum in Standard mode), so its
 * answer comes at most max(60 s, 10% of the run's age) after the run's. Each look is one poll
 * round (FollowRun, RunEnded, WaitForRun: 9 history events, counted as 10) and three state
 * transitions; a follower of the reference run (530 s) looks 10 times.
 */
export const FOLLOW_MIN_POLL_SECONDS = 60;

export function followPollSeconds(runAgeMs: number): number {
  const grown = Math.round(Math.max(0, runAgeMs) / 10_000);
  return Math.min(MAX_POLL_SECONDS, Math.max(FOLLOW_MIN_POLL_SECONDS, grown));
}

/** Every state outside the loop: start, the last look, Notify, Outcome, the outcome event, the end (about 25), with room for retries. */
export const FOLLOW_EVENTS_OUTSIDE_LOOP = 100;

/** The looks a follower may take within CloudFlow's 5,000 history events, with 5% in reserve. */
export const FOLLOW_MAX_ROUNDS = Math.floor((EVENT_LIMIT * 0.95 - FOLLOW_EVENTS_OUTSIDE_LOOP) / EVENTS_PER_POLL_ROUND);

/**
 * The run age past which a follower stops waiting and answers `Follow.Expired`: the age its looks
 * reach from the run's start (about 37 hours). The pause only grows with the run's age, so a
 * follower that joined later reaches it in fewer looks, and no follower outgrows its history.
 */
export function followLimitSeconds(): number {
  let age = 0;
  for (let round = 0; round < FOLLOW_MAX_ROUNDS; round++) age += followPollSeconds(age * 1000);
  return age;
}
