import { describe, expect, it } from 'vitest';
import { withSignal } from '../shared/abort-scope.ts';
import type { Clock } from '../shared/clock.ts';
import { RateLimiter } from '../shared/rate-limit.ts';
import { checkDrift } from '../shared/drift/check.ts';
import { discoverLinks } from '../shared/drift/discover.ts';
import { FanOutStopped, pool, READS_AT_ONCE, together } from '../shared/pool.ts';
import { validate } from '../shared/steps/validate.ts';
import { seedProvisionedLinks } from '../local/emulators/bulk-links.ts';
import { DEMO } from '../local/emulators/fixtures.ts';
import { failure, seedWith, spec, start, worlds, type StepWorld } from './steps/support.ts';

/**
 * Bounded work: every fan-out of calls (per cluster, per link, per region, and the fixed sets of
 * reads) runs through shared/pool.ts, at most READS_AT_ONCE at a time; when one call fails for
 * good, the calls not started are never made and the ones in flight are aborted, through the
 * Zilliz client and the Alibaba transport (fetch and retry back-offs). Concurrency is measured
 * where the calls arrive: the emulators' call log.
 */

/** A promise to settle by hand. */
function deferred<T = void>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
const turns = async (n = 5) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

describe('the worker pool', () => {
  it('keeps at most `width` in flight and answers in the items’ order', async () => {
    let inFlight = 0;
    let most = 0;
    const results = await pool(
      Array.from({ length: 20 }, (_, i) => i),
      4,
      async (i) => {
        most = Math.max(most, ++inFlight);
        await turns(1 + (i % 3));
        inFlight--;
        return i * 10;
      },
    );
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i * 10));
    expect(most).toBe(4);
  });

  it('after a failure starts nothing more, aborts what is in flight, then throws that first error', async () => {
    const started: number[] = [];
    const aborted: number[] = [];
    const boom = new Error('describe failed for good');
    const running = pool(
      Array.from({ length: 30 }, (_, i) => i),
      8,
      (i, signal) => {
        started.push(i);
        if (i === 2) return Promise.reject(boom);
        // In flight until aborted.
        return new Promise<number>((_, reject) =>
          signal.addEventListener('abort', () => {
            aborted.push(i);
            reject(signal.reason);
          }),
        );
      },
    );
    await expect(running).rejects.toBe(boom);
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(aborted.sort((a, b) => a - b)).toEqual([0, 1, 3, 4, 5, 6, 7]);
  });

  it('a fan-out inside another stops with it; `together` is the same rule for a fixed set of calls', async () => {
    const innerAborted = deferred<unknown>();
    const boom = new Error('the VPC read failed');
    const outer = together([
      () =>
        pool(
          [1, 2],
          2,
          (_, signal) =>
            new Promise<never>((_r, reject) =>
              signal.addEventListener('abort', () => (innerAborted.resolve(signal.reason), reject(signal.reason))),
            ),
        ),
      () => Promise.reject(boom),
    ]);
    await expect(outer).rejects.toBe(boom);
    expect(await innerAborted.promise).toBeInstanceOf(FanOutStopped);
  });
});

const open = worlds();

/** Zilliz calls as the emulator sees them. */
const zillizLog = (w: StepWorld) => w.emu.calls;

describe('the transports stop with their fan-out', () => {
  it('the rate limiter lets an aborted caller go at once, taking no slot', async () => {
    // A clock that never moves: the second caller would wait for ever for the window to pass.
    const still: Clock = { now: () => 0, sleep: () => new Promise<void>(() => undefined) };
    const limiter = new RateLimiter(1, 1000, still);
    await limiter.acquire();
    const stop = new AbortController();
    const waiting = limiter.acquire(stop.signal);
    stop.abort(new FanOutStopped());
    await expect(waiting).rejects.toBeInstanceOf(FanOutStopped);
  });

  it('the Zilliz client: no call when the fan-out already stopped; none after an abort during a retry back-off', async () => {
    const w = await open();
    const stop = new AbortController();
    stop.abort(new FanOutStopped());
    const before = zillizLog(w).arrived.zilliz;
    await expect(withSignal(stop.signal, () => w.deps.zilliz.describeCluster(DEMO.clusterId))).rejects.toBeInstanceOf(FanOutStopped);
    expect(zillizLog(w).arrived.zilliz).toBe(before);

    // 503 on every attempt: the client would retry six times; the fan-out stops after the first.
    w.emu.faults.add({ target: 'describeCluster', kind: 'error', code: '503', httpStatus: 503 });
    const during = new AbortController();
    const unsubscribe = zillizLog(w).onRecord((c) => {
      // Abort 50 ms after the first failure: inside the first back-off (100–200 ms, retry.ts).
      if (c.action === 'describeCluster' && !c.ok) void w.emu.clock.sleep(50).then(() => during.abort(new FanOutStopped()));
    });
    const first = zillizLog(w).arrived.zilliz;
    await expect(withSignal(during.signal, () => w.deps.zilliz.describeCluster(DEMO.clusterId))).rejects.toBeInstanceOf(FanOutStopped);
    unsubscribe();
    await w.emu.clock.sleep(60_000);
    expect(zillizLog(w).arrived.zilliz - first).toBe(1);
  });

  it('the Alibaba transport: the same, and a call in flight is cut off the wire', async () => {
    const w = await open();
    w.emu.faults.add({ target: 'DescribeVpcAttribute', kind: 'error', code: 'ServiceUnavailable', httpStatus: 503 });
    const during = new AbortController();
    const unsubscribe = w.emu.calls.onRecord((c) => {
      if (c.action === 'DescribeVpcAttribute' && !c.ok) void w.emu.clock.sleep(50).then(() => during.abort(new FanOutStopped()));
    });
    const first = w.emu.calls.arrived.alibaba;
    await expect(withSignal(during.signal, () => w.deps.aliyun.vpc.describeVpc(DEMO.vpcId))).rejects.toBeInstanceOf(FanOutStopped);
    unsubscribe();
    await w.emu.clock.sleep(60_000);
    expect(w.emu.calls.arrived.alibaba - first).toBe(1);

    // In flight: a minute of latency; aborted after a second, the caller is free at once.
    w.emu.faults.clear();
    w.emu.faults.add({ target: 'DescribeVSwitches', kind: 'latency', latencyMs: 60_000 });
    const cut = new AbortController();
    void w.emu.clock.sleep(1_000).then(() => cut.abort(new FanOutStopped()));
    const t0 = w.emu.clock.now();
    await expect(withSignal(cut.signal, () => w.deps.aliyun.vpc.vSwitches(DEMO.vpcId))).rejects.toBeInstanceOf(FanOutStopped);
    expect(w.emu.clock.now() - t0).toBeLessThan(60_000);
  });
});

describe('Validate over 40 clusters: at most READS_AT_ONCE describe-cluster calls at once', () => {
  const CLUSTERS = Array.from({ length: 40 }, (_, i) => `in01-${(0xc0 + i).toString(16).padStart(16, '0')}`);
  const seed = () =>
    seedWith((s) =>
      s.zilliz!.projects![0]!.clusters!.push(...CLUSTERS.map((clusterId) => ({ clusterId, regionId: `ali-${DEMO.region}` }))),
    );
  /** Every describe takes a minute of emulated time, but the ones named `except`. */
  const slow = (w: StepWorld, except: string[] = []) => {
    for (const clusterId of CLUSTERS.filter((c) => !except.includes(c)))
      w.emu.faults.add({ target: 'describeCluster', kind: 'latency', latencyMs: 60_000, match: { clusterId } });
  };
  const describes = (w: StepWorld) => w.emu.calls.calls.filter((c) => c.action === 'describeCluster');

  it('all of them read, never more than READS_AT_ONCE in flight (measured by the Zilliz emulator)', async () => {
    const w = await open({ seed: seed() });
    slow(w);
    const s = spec({ clusters: CLUSTERS });
    await w.call(validate, s, start(s));
    expect(describes(w)).toHaveLength(40);
    expect(w.emu.calls.peak.zilliz).toBe(READS_AT_ONCE);
  });

  it('one failing for good (503 on every attempt): the others in flight are aborted and no further call is made', async () => {
    const w = await open({ seed: seed() });
    const failing = CLUSTERS[2]!;
    slow(w, [failing]);
    w.emu.faults.add({ target: 'describeCluster', kind: 'error', code: '503', httpStatus: 503, match: { clusterId: failing } });
    const s = spec({ clusters: CLUSTERS });

    const failed = await failure(w.call(validate, s, start(s)), 'Validate');
    expect(failed).toMatchObject({ step: 'Validate', code: 'Zilliz.503', message: expect.stringContaining('describeCluster') });
    const atFailure = w.emu.calls.arrived.zilliz;
    // The minute the aborted reads were taking passes (their servers finish): nothing new arrives.
    await w.emu.clock.sleep(10 * 60_000);
    expect(w.emu.calls.arrived.zilliz).toBe(atFailure);
    expect(w.emu.calls.inFlight.zilliz).toBe(0);
    // The first eight (the failing one retried six times, as the client's policy allows), and no other cluster.
    const asked = new Set(describes(w).map((c) => c.params!.clusterId));
    expect([...asked].sort()).toEqual(CLUSTERS.slice(0, READS_AT_ONCE).sort());
    expect(describes(w).filter((c) => c.params!.clusterId === failing)).toHaveLength(6);
    expect(w.emu.calls.peak.zilliz).toBeLessThanOrEqual(READS_AT_ONCE);
  });
});

describe('a drift check over 40 links', () => {
  it('one link’s read refused: the other links’ reads in flight are aborted, nothing more is read, never more than READS_AT_ONCE at once', async () => {
    const w = await open();
    seedProvisionedLinks(w.emu.world, 40);
    const endpoints = [...w.emu.world.endpoints.keys()];
    // The third link the check reads (in the order discovery lists them): in the first wave.
    const refused = (await discoverLinks(w.deps, DEMO.region))[2]!.endpoint!.id;
    for (const EndpointId of endpoints.filter((e) => e !== refused))
      w.emu.faults.add({ target: 'ListVpcEndpointZones', kind: 'latency', latencyMs: 60_000, match: { EndpointId } });
    // Refused after a second, when the whole first wave has reached the emulator.
    w.emu.faults.add({ target: 'ListVpcEndpointZones', kind: 'latency', latencyMs: 1_000, match: { EndpointId: refused } });
    w.emu.faults.add({
      target: 'ListVpcEndpointZones',
      kind: 'error',
      code: 'Forbidden.RAM',
      httpStatus: 403,
      match: { EndpointId: refused },
    });

    await expect(checkDrift(w.deps, { regions: [DEMO.region] })).rejects.toMatchObject({ code: 'Forbidden.RAM' });
    const atFailure = w.emu.calls.arrived.alibaba;
    await w.emu.clock.sleep(10 * 60_000);
    expect(w.emu.calls.arrived.alibaba).toBe(atFailure);
    // The first wave's eight, and no other link.
    expect(w.emu.calls.calls.filter((c) => c.action === 'ListVpcEndpointZones')).toHaveLength(READS_AT_ONCE);
    expect(w.emu.calls.peak.alibaba).toBeLessThanOrEqual(READS_AT_ONCE);
  });
});
