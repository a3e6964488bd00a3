import { describe, expect, it } from 'vitest';
import { timeoutSignal } from '../shared/aliyun/call-timeout.ts';
import type { Clock } from '../shared/clock.ts';

/** A clock whose sleeps fail as the local stack's remote clock does when the stack stops under a call. */
const failingClock = (error: Error): Clock => ({ now: () => 0, sleep: () => Promise.reject(error) });

describe('a call timed on a clock', () => {
  it('is aborted with the clock’s error when the clock fails, and nothing goes unhandled', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      const gone = new Error('fetch failed: ECONNRESET');
      const { signal } = timeoutSignal(20_000, failingClock(gone));
      await new Promise((resolve) => setImmediate(resolve));
      expect(signal.aborted).toBe(true);
      expect(signal.reason).toBe(gone);
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('is not aborted by a clock that fails after the call was answered', async () => {
    let fail!: (e: Error) => void;
    const clock: Clock = { now: () => 0, sleep: () => new Promise((_, reject) => (fail = reject)) };
    const { signal, done } = timeoutSignal(20_000, clock);
    done();
    fail(new Error('fetch failed: ECONNRESET'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(signal.aborted).toBe(false);
  });
});
