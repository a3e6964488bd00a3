import type { Clock } from './clock.ts';

/** Exponential back-off with equal jitter and a cap; the caller decides what is retryable. */
export interface RetryPolicy {
  /** Total attempts including the first. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 200, maxDelayMs: 10_000 };

export function backoffDelay(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return ceiling / 2 + random() * (ceiling / 2);
}

export async function withRetry<T>(
  run: (attempt: number) => Promise<T>,
  opts: {
    policy: RetryPolicy;
    clock: Clock;
    retryable: (error: unknown) => boolean;
    onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  },
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run(attempt);
    } catch (error) {
      if (attempt >= opts.policy.maxAttempts || !opts.retryable(error)) throw error;
      const delay = backoffDelay(opts.policy, attempt - 1);
      opts.onRetry?.(error, attempt, delay);
      await opts.clock.sleep(delay);
    }
  }
}
