import { sleepOrAbort, type Clock } from './clock.ts';

/** Exponential back-off with equal jitter and a cap; the caller decides what is retryable. */
export interface RetryPolicy {
  /** Total attempts including the first, when no deadline bounds the retries. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 200, maxDelayMs: 10_000 };

/**
 * When the retries stop. A step passes its invocation's deadline (the function's timeout less
 * the time it needs to answer): throttling (`Throttling.User`, FnF `ResourceThrottled`) can last
 * minutes, and a fixed count would give up long before the step has to. Without a deadline the
 * policy's attempt count applies (the CLI, the API).
 */
export type RetryBudget = { deadline: () => number | undefined };

export function backoffDelay(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(retry, 30));
  return ceiling / 2 + random() * (ceiling / 2);
}

export async function withRetry<T>(
  run: (attempt: number) => Promise<T>,
  opts: {
    policy: RetryPolicy;
    clock: Clock;
    retryable: (error: unknown) => boolean;
    /** Absolute time (on `clock`) by which the last attempt must have started; replaces the attempt count. */
    deadline?: number;
    /** Once aborted, no further attempt starts and a back-off ends at once, with the signal's reason. */
    signal?: AbortSignal;
    onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  },
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    opts.signal?.throwIfAborted();
    try {
      return await run(attempt);
    } catch (error) {
      opts.signal?.throwIfAborted();
      if (!opts.retryable(error)) throw error;
      let delay = backoffDelay(opts.policy, attempt - 1);
      if (opts.deadline !== undefined) {
        const left = opts.deadline - opts.clock.now();
        if (left <= 0) throw error;
        delay = Math.min(delay, left);
      } else if (attempt >= opts.policy.maxAttempts) {
        throw error;
      }
      opts.onRetry?.(error, attempt, delay);
      await sleepOrAbort(opts.clock, delay, opts.signal);
    }
  }
}
