import { describe, expect, it } from 'vitest';
import { MAX_POLL_SECONDS, MIN_POLL_SECONDS, nextPollSeconds } from '../shared/steps/polling.ts';

describe('poll pacing', () => {
  it('never waits longer than max(5 s, a tenth of the time already waited) nor past the deadline', () => {
    for (let elapsed = 0; elapsed <= 7200_000; elapsed += 7_000) {
      const pause = nextPollSeconds(elapsed, 10 * 3600_000);
      expect(pause).toBeGreaterThanOrEqual(MIN_POLL_SECONDS);
      expect(pause).toBeLessThanOrEqual(Math.max(MIN_POLL_SECONDS, Math.ceil(elapsed / 10_000)));
      expect(pause).toBeLessThanOrEqual(MAX_POLL_SECONDS);
    }
    expect(nextPollSeconds(600_000, 3_000)).toBe(3);
    expect(nextPollSeconds(0, 10)).toBe(1);
  });
});
