import { describe, expect, it } from 'vitest';
import { isRetryableCode } from '../shared/aliyun/errors.ts';
import { EmulatedClock } from '../local/time/emulated-clock.ts';
import { DEFAULT_RETRY, withRetry } from '../shared/retry.ts';
import { invocationBudget } from '../shared/steps/invocation-budget.ts';

/** Retries bounded by a deadline, not a count; which answers are flow control. */

const MIN = 60_000;

describe('retries bounded by the invocation deadline', () => {
  it('keeps retrying past the attempt count until the deadline, then gives up with the last error', async () => {
    const clock = new EmulatedClock({ start: 0 });
    let attempts = 0;
    const run = withRetry(
      async () => {
        attempts++;
        throw new Error('throttled');
      },
      { policy: DEFAULT_RETRY, clock, retryable: () => true, deadline: 11 * MIN },
    );
    await expect(run).rejects.toThrow('throttled');
    expect(attempts).toBeGreaterThan(DEFAULT_RETRY.maxAttempts);
    // The last back-off is cut to the time left, so the last attempt starts at the deadline.
    expect(clock.now()).toBe(11 * MIN);
  });

  it('succeeds once throttling ends, ten minutes in', async () => {
    const clock = new EmulatedClock({ start: 0 });
    const budget = invocationBudget(clock, 720);
    expect(budget.deadline()).toBe(660_000);
    const value = await withRetry(
      async () => {
        if (clock.now() < 10 * MIN) throw new Error('throttled');
        return 'done';
      },
      { policy: DEFAULT_RETRY, clock, retryable: () => true, deadline: budget.deadline() },
    );
    expect(value).toBe('done');
    expect(clock.now()).toBeGreaterThanOrEqual(10 * MIN);
  });

  it('a short function keeps a quarter of its time to answer', () => {
    const clock = new EmulatedClock({ start: 0 });
    expect(invocationBudget(clock, 30).deadline()).toBe(22_500);
  });
});

describe('flow control is retryable', () => {
  it.each([
    ['ResourceThrottled', 429],
    ['Throttling.User', 400],
    ['Throttling', undefined],
    ['ConcurrentCallNotSupported', 400],
    ['AnythingElse', 429],
  ] as const)('%s (HTTP %s)', (code, status) => {
    expect(isRetryableCode(code, status)).toBe(true);
  });

  it('other 4xx are not', () => {
    expect(isRetryableCode('InvalidParameter', 400)).toBe(false);
    expect(isRetryableCode('ExecutionAlreadyExists', 400)).toBe(false);
  });
});
