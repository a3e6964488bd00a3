import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../shared/clock.ts';
import { backoffDelay, withRetry } from '../shared/retry.ts';

describe('virtual clock', () => {
  it('on a manual clock, sleepers wake only when time is advanced past their deadline', async () => {
    const clock = new VirtualClock(0, 1_000);
    const woke: string[] = [];
    void clock.sleep(500).then(() => woke.push('a'));
    void clock.sleep(2_000).then(() => woke.push('b'));
    clock.advance(499);
    await new Promise((r) => setTimeout(r, 5));
    expect(woke).toEqual([]);
    clock.advance(1);
    await new Promise((r) => setTimeout(r, 5));
    expect(woke).toEqual(['a']);
    clock.advance(10_000);
    await new Promise((r) => setTimeout(r, 5));
    expect(woke).toEqual(['a', 'b']);
    expect(clock.now()).toBe(11_500);
  });

  it('a scaled clock runs that many times faster than real time', async () => {
    const clock = new VirtualClock(1_000, 0);
    const before = Date.now();
    await clock.sleep(60_000); // one emulated minute
    const real = Date.now() - before;
    expect(real).toBeLessThan(1_000);
    expect(clock.now()).toBeGreaterThanOrEqual(60_000);
  });

  it('refuses to go backwards or take a negative scale', () => {
    const clock = new VirtualClock(0);
    expect(() => clock.advance(-1)).toThrow(RangeError);
    expect(() => clock.setScale(-2)).toThrow(RangeError);
  });
});

describe('retry back-off', () => {
  it('grows exponentially with jitter inside [ceiling/2, ceiling] and stops at the cap', () => {
    const policy = { maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 1_000 };
    expect(backoffDelay(policy, 0, () => 0)).toBe(50);
    expect(backoffDelay(policy, 0, () => 1)).toBe(100);
    expect(backoffDelay(policy, 3, () => 1)).toBe(800);
    expect(backoffDelay(policy, 8, () => 1)).toBe(1_000);
    expect(backoffDelay(policy, 8, () => 0)).toBe(500);
  });

  it('retries only what is retryable, waiting on the injected clock', async () => {
    const clock = new VirtualClock(0, 0);
    let attempts = 0;
    const run = withRetry(
      async () => {
        attempts++;
        if (attempts < 3) throw new Error('transient');
        return 'done';
      },
      { policy: { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 10_000 }, clock, retryable: () => true },
    );
    for (let i = 0; i < 5 && attempts < 3; i++) {
      await new Promise((r) => setTimeout(r, 2));
      clock.advance(10_000);
    }
    await expect(run).resolves.toBe('done');
    expect(attempts).toBe(3);
    await expect(withRetry(async () => Promise.reject(new Error('fatal')), { policy: { maxAttempts: 5, baseDelayMs: 1, maxDelayMs: 1 }, clock, retryable: () => false })).rejects.toThrow('fatal');
  });
});
