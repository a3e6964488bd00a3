import { describe, expect, it } from 'vitest';
import { EVENT_LIMIT, EVENTS_PER_POLL_ROUND, waitsEvents, WAIT_EVENT_BUDGET } from '../shared/steps/event-budget.ts';
import {
  FOLLOW_EVENTS_OUTSIDE_LOOP,
  FOLLOW_MAX_ROUNDS,
  FOLLOW_MIN_POLL_SECONDS,
  followLimitSeconds,
  followPollSeconds,
} from '../shared/steps/follow-pacing.ts';
import { deployedFunctions } from '../local/deployed-functions.ts';

/** A follower (flows/follow.yaml) looks often enough to answer soon and seldom enough to fit CloudFlow's history. */

describe('how a follower paces its looks', () => {
  it('every minute at first, then a tenth of the run age, at most 300 s', () => {
    expect([0, 30_000, 600_000, 1_200_000, 3_000_000, 36_000_000].map(followPollSeconds)).toEqual([
      FOLLOW_MIN_POLL_SECONDS,
      60,
      60,
      120,
      300,
      300,
    ]);
  });

  it("its looks up to the limit fit CloudFlow's 5,000 history events, with 5% in reserve", () => {
    let age = 0;
    let rounds = 0;
    while (age < followLimitSeconds()) {
      age += followPollSeconds(age * 1000);
      rounds++;
    }
    expect(rounds).toBe(FOLLOW_MAX_ROUNDS);
    expect(rounds * EVENTS_PER_POLL_ROUND + FOLLOW_EVENTS_OUTSIDE_LOOP).toBeLessThanOrEqual(EVENT_LIMIT * 0.95);
  });

  it('the limit outlasts the longest run the spec admits: its three waits at their deadlines and every step at its full timeout', () => {
    // The longest equal deadlines whose waits fit the run's own event budget (shared/spec.ts refuses longer ones).
    let d = 60;
    while (waitsEvents([d + 60, d + 60, d + 60]) <= WAIT_EVENT_BUDGET) d += 60;
    const steps = deployedFunctions()
      .filter((f) => f.functionName.startsWith('zpl-'))
      .reduce((sum, f) => sum + f.timeout, 0);
    expect(3 * d + steps).toBeLessThan(followLimitSeconds());
  });
});
