import { untilAborted } from './abort-scope.ts';
import { sleepOrAbort, type Clock } from './clock.ts';

/** At most `limit` starts in any `windowMs`; callers wait their turn (a sliding window). */
export class RateLimiter {
  private readonly starts: number[] = [];
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly clock: Clock,
  ) {}

  /** Resolves when the caller may start; calls are admitted in arrival order. An aborted caller is let go at once and takes no slot. */
  acquire(signal?: AbortSignal): Promise<void> {
    const turn = this.queue.then(() => this.waitForSlot(signal));
    this.queue = turn.catch(() => {});
    return untilAborted(turn, signal);
  }

  private async waitForSlot(signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const now = this.clock.now();
      while (this.starts.length && this.starts[0]! <= now - this.windowMs) this.starts.shift();
      if (this.starts.length < this.limit) {
        this.starts.push(now);
        return;
      }
      await sleepOrAbort(this.clock, this.starts[0]! + this.windowMs - now, signal);
    }
  }
}
