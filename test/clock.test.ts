import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { claimServer, serveWith } from '../local/time/activity.ts';
import { EmulatedClock } from '../local/time/emulated-clock.ts';
import { remoteClock } from '../shared/remote-clock.ts';
import { backoffDelay, withRetry } from '../shared/retry.ts';

/** A few turns of the event loop (no wall time involved). */
const turns = async (n = 10) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

const servers: { close(): void }[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

/** A loopback server of `clock`'s world that sleeps `sleepMs` on the clock, or spins `spin` turns of the event loop, before it answers. */
async function worldServer(clock: EmulatedClock) {
  const server = createServer(
    serveWith(clock, (req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const sleep = Number(url.searchParams.get('sleep') ?? 0);
      const spin = Number(url.searchParams.get('spin') ?? 0);
      void (async () => {
        if (sleep) await clock.sleep(sleep);
        await turns(spin);
        res.end(JSON.stringify({ now: clock.now() }));
      })();
    }),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  claimServer(clock, server);
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('emulated clock', () => {
  it('manual: sleepers wake only when time is advanced past their deadline, in deadline order', async () => {
    const clock = new EmulatedClock({ mode: 'manual', start: 1_000 });
    const woke: string[] = [];
    void clock.sleep(2_000).then(() => woke.push('b'));
    void clock.sleep(500).then(() => woke.push('a'));
    clock.advance(499);
    await turns();
    expect(woke).toEqual([]);
    clock.advance(1);
    await turns();
    expect(woke).toEqual(['a']);
    clock.advance(10_000);
    await turns();
    expect(woke).toEqual(['a', 'b']);
    expect(clock.now()).toBe(11_500);
  });

  it('events: an idle world jumps straight to the next timer, and time stands still while anything works', async () => {
    const clock = new EmulatedClock({ start: 0 });
    const woke: number[] = [];
    let release!: () => void;
    const work = clock.busy(new Promise<void>((r) => (release = r)));
    void clock.sleep(60_000).then(() => woke.push(clock.now()));
    void clock.sleep(3_600_000).then(() => woke.push(clock.now()));
    await turns(50);
    expect(woke).toEqual([]);
    expect(clock.now()).toBe(0);
    release();
    await work;
    await turns(50);
    expect(woke).toEqual([60_000, 3_600_000]);
    expect(clock.stats.jumps).toBe(2);
  });

  it('events: an HTTP exchange with a world server holds time until its reply is read; a server sleeping on the clock is idle', async () => {
    const clock = new EmulatedClock({ start: 0 });
    const url = await worldServer(clock);
    const woke: number[] = [];
    void clock.sleep(1_000).then(() => woke.push(clock.now()));
    // The server works for 200 turns of the event loop: the timer due meanwhile must wait.
    const busy = (await (await fetch(`${url}/?spin=200`)).json()) as { now: number };
    expect(busy.now).toBe(0);
    expect(woke).toEqual([]);
    await turns(50);
    expect(woke).toEqual([1_000]);
    // A request that sleeps 5 s on the server side lets the clock skip to its wake-up.
    const slept = (await (await fetch(`${url}/?sleep=5000`)).json()) as { now: number };
    expect(slept.now).toBe(6_000);
  });

  it('a step function sees the clock through the stack endpoint: the same time, and sleeps that skip ahead', async () => {
    const clock = new EmulatedClock({ start: 10_000 });
    const server = createServer(
      serveWith(
        clock,
        (req, res) =>
          void (async () => {
            let body = '';
            for await (const chunk of req) body += chunk;
            if (req.method === 'POST') await clock.sleep((JSON.parse(body) as { ms: number }).ms);
            res.end(JSON.stringify({ now: clock.now() }));
          })(),
      ),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    claimServer(clock, server);
    servers.push(server);
    const remote = await remoteClock(`http://127.0.0.1:${(server.address() as AddressInfo).port}/clock`);
    expect(remote.now()).toBe(10_000);
    await remote.sleep(55_000);
    expect(remote.now()).toBe(65_000);
    expect(clock.now()).toBe(65_000);
  });

  it('paced: while idle, time flows toward the next timer at the pace, and wakes it', async () => {
    const clock = new EmulatedClock({ mode: 'paced', pace: 1_000_000, start: 0 });
    await clock.sleep(60_000);
    expect(clock.now()).toBeGreaterThanOrEqual(60_000);
    expect(clock.pace).toBe(1_000_000);
  });

  it('pauseWhen stops time at the first idle moment a condition holds; aborted sleeps leave no timer behind', async () => {
    const clock = new EmulatedClock({ start: 0 });
    let ticks = 0;
    const loop = (async () => {
      for (let i = 0; i < 10; i++) {
        await clock.sleep(1_000);
        ticks++;
      }
    })();
    const resume = await clock.pauseWhen(() => ticks === 3);
    await turns(50);
    expect([ticks, clock.now()]).toEqual([3, 3_000]);
    resume();
    await loop;
    expect(clock.now()).toBe(10_000);

    const stop = new AbortController();
    void clock.sleep(3_600_000, stop.signal);
    stop.abort();
    await turns(50);
    expect(clock.pendingTimers()).toEqual([]);
    expect(clock.now()).toBe(10_000);
  });

  it('refuses to go backwards or take a pace of zero', () => {
    expect(() => new EmulatedClock({ mode: 'manual' }).advance(-1)).toThrow(RangeError);
    expect(() => new EmulatedClock({ mode: 'paced', pace: 0 })).toThrow(RangeError);
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
    const clock = new EmulatedClock({ start: 0 });
    let attempts = 0;
    const run = withRetry(
      async () => {
        attempts++;
        if (attempts < 3) throw new Error('transient');
        return 'done';
      },
      { policy: { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 10_000 }, clock, retryable: () => true },
    );
    await expect(run).resolves.toBe('done');
    expect(attempts).toBe(3);
    expect(clock.now()).toBeGreaterThanOrEqual(1_000);
    await expect(
      withRetry(async () => Promise.reject(new Error('fatal')), {
        policy: { maxAttempts: 5, baseDelayMs: 1, maxDelayMs: 1 },
        clock,
        retryable: () => false,
      }),
    ).rejects.toThrow('fatal');
  });
});
