import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudFlowApi } from '../shared/aliyun/cloudflow.ts';
import { callTimeoutMs, DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_READ_TIMEOUT_MS } from '../shared/aliyun/call-timeout.ts';
import { AliyunTransport } from '../shared/aliyun/rpc.ts';
import { DEMO } from '../local/emulators/fixtures.ts';
import { startTestEngine, type TestEngine } from './support/engine.ts';
import { metadata } from './support/metadata.ts';

/**
 * A long poll (DescribeExecution `WaitTimeSeconds`, "取值范围[0,60]" in the fnf metadata) is held
 * open by the server for up to that long: the transport's per-call timeout (connect 5 s + read
 * 15 s) must grow by the wait, or `zpl drift --target cloudflow` (30 s polls) is cut at 20 s.
 * The per-call timeout runs on the engine's emulated clock here, so the test needs no real wait.
 */

const DEFAULT_MS = DEFAULT_CONNECT_TIMEOUT_MS + DEFAULT_READ_TIMEOUT_MS;
const slow = `Type: StateMachine
Name: slow
SpecVersion: v1
StartAt: Pause
States:
  - Name: Pause
    Type: Wait
    Seconds: 90
    End: true
`;

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
  await t.flows.deployFlow({ name: 'slow', definition: slow, description: 'test' });
});
afterAll(async () => {
  await t.close();
});

describe('long polls', () => {
  it('the metadata bounds WaitTimeSeconds to 0–60 s, and every allowed wait gets a timeout beyond it', () => {
    const fnf = metadata('fnf');
    const param = fnf.apis.DescribeExecution!.parameters.find((p) => p.name === 'WaitTimeSeconds')!;
    expect((param.schema as { description?: string }).description).toContain('取值范围\\[0,60]');
    // Every action with a long poll is covered by the same rule.
    const polls = Object.entries(fnf.apis)
      .filter(([, a]) => a.parameters.some((p) => p.name === 'WaitTimeSeconds'))
      .map(([n]) => n);
    expect(polls).toEqual(['DescribeExecution']);
    for (const wait of [0, 1, 30, 60]) expect(callTimeoutMs({ WaitTimeSeconds: String(wait) })).toBeGreaterThan(wait * 1000);
    expect(callTimeoutMs({})).toBe(DEFAULT_MS);
  });

  it('a 30 s long poll, longer than the 20 s default call timeout, completes', async () => {
    const flows = new CloudFlowApi(
      new AliyunTransport({
        endpoint: t.url,
        credentials: { accessKeyId: DEMO.accessKeyId, accessKeySecret: DEMO.accessKeySecret },
        clock: t.clock,
        timeoutClock: t.clock,
        retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
      }),
      DEMO.region,
    );
    await flows.start('slow', 'poll-1', {});
    const before = t.clock.now();
    await expect(flows.describe('slow', 'poll-1', 30)).resolves.toMatchObject({ Status: 'Running' });
    expect(t.clock.now() - before).toBeGreaterThanOrEqual(30_000);
  });
});
