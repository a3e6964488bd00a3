import { describe, expect, it } from 'vitest';
import { demoSeed, DEMO, type SeedInput } from '../local/emulators/fixtures.ts';
import { STATE_DATA_LIMIT } from '../local/engine/run.ts';
import { PROVISION_FLOW } from '../shared/flows.ts';
import { measureDrift } from '../bench/drift-scale.ts';
import { demoSpec, provision, startTestStack } from './support/provision.ts';
import type { Stack } from '../local/stack.ts';

/**
 * Flow state stays O(1) in clusters and links (issue 12 item 14): CloudFlow fails a run whose
 * state input or output passes 64 KiB (FnF.DataLimitExceeded, enforced by the local engine), so
 * per-cluster and per-link details are read back from the clouds, never carried from state to state.
 */

const MANY = 40;

const clusterIds = (n: number) => Array.from({ length: n }, (_, i) => `in01-${(0x5000 + i).toString(16).padStart(16, '0')}`);

function seedClusters(ids: string[]): SeedInput {
  const seed = demoSeed();
  seed.zilliz!.projects![0]!.clusters!.push(...ids.map((clusterId) => ({ clusterId, regionId: `ali-${DEMO.region}` })));
  return seed;
}

/** The largest state input or output of an execution, in bytes, as the engine measured it. */
function largestState(stack: Stack, flow: string, execution: string): number {
  const sizes = stack.engine.engine
    .history(flow, execution)
    .filter((e) => e.Type === 'StepEntered' || e.Type === 'StepExited')
    .map((e) => {
      const detail = JSON.parse(e.EventDetail) as { input?: unknown; output?: unknown };
      return Buffer.byteLength(JSON.stringify(e.Type === 'StepEntered' ? detail.input : detail.output) ?? '');
    });
  return Math.max(...sizes);
}

async function provisionClusters(n: number) {
  const ids = clusterIds(n);
  const stack = await startTestStack({ seed: seedClusters(ids) });
  try {
    const run = await provision(stack, demoSpec({ clusters: ids }));
    return { run, largest: largestState(stack, PROVISION_FLOW, run.rec.name), zone: [...stack.emulators.world.zones.values()][0] };
  } finally {
    await stack.stop();
  }
}

describe('flow state stays O(1) in clusters', () => {
  // As many clusters as the endpoint's tags can record today (the zpl:clusters tags; issue 12 item 9 bounds them).
  it(`provisioning ${MANY} clusters succeeds with every state far under 64 KiB, growing only by the spec`, async () => {
    const few = await provisionClusters(2);
    const many = await provisionClusters(MANY);
    expect(many.run.rec.status).toBe('Succeeded');
    expect(many.run.report).toMatchObject({ ok: true, recordCount: MANY, verifiedCount: MANY });
    expect(many.zone!.records).toHaveLength(MANY);
    expect(many.largest).toBeLessThan(STATE_DATA_LIMIT / 4);
    // Each further cluster adds its ID to the execution input (which the tasks read, some twice), nothing more; it was about 940 bytes.
    expect((many.largest - few.largest) / (MANY - 2)).toBeLessThan(100);
  }, 120_000);
});

describe('flow state stays O(1) in links', () => {
  it('a drift check over 1,000 links succeeds, every state far under 64 KiB', async () => {
    const r = await measureDrift(1000);
    expect(r.status).toBe('Succeeded');
    expect(r.report).toMatchObject({ checked: 1000, drifted: 0, deferred: 0, links: [] });
    expect(r.largestStateBytes).toBeLessThan(STATE_DATA_LIMIT / 4);
  }, 300_000);

  it('60 links all drifted: 25 are announced this run, 35 deferred, every state under 64 KiB', async () => {
    const r = await measureDrift(60, {
      before: (emu) => {
        for (const zone of emu.world.zones.values()) for (const rec of zone.records) rec.status = 'DISABLE';
      },
    });
    expect(r.status).toBe('Succeeded');
    expect(r.report).toMatchObject({ checked: 60, drifted: 60, deferred: 35 });
    expect(r.report!.links).toHaveLength(10);
    expect(r.largestStateBytes).toBeLessThan(STATE_DATA_LIMIT / 2);
  }, 120_000);
});
