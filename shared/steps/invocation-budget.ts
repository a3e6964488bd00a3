import type { Clock } from '../clock.ts';
import type { RetryBudget } from '../retry.ts';

/**
 * How long a step may keep retrying a throttled or failing call: until shortly before FC ends
 * the invocation (`context.function.timeout`, seconds), leaving the step time to answer with the
 * provider's code and message instead of being cut off (FC would report a timeout, not why).
 */
export const REPLY_RESERVE_SECONDS = 60;

/** The least budget a step's function is given (s.yaml timeout less the reserve): ten minutes of throttling. */
export const STEP_RETRY_BUDGET_SECONDS = 600;

/** A short function (the API's 30 s) keeps a quarter of its time to answer instead. */
export function invocationBudget(clock: Clock, timeoutSeconds: number): RetryBudget {
  const reserve = Math.min(REPLY_RESERVE_SECONDS, timeoutSeconds / 4);
  const deadline = clock.now() + (timeoutSeconds - reserve) * 1000;
  return { deadline: () => deadline };
}
