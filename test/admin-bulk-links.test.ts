import { afterEach, describe, expect, it } from 'vitest';
import { DEMO } from '../local/emulators/fixtures.ts';
import type { BulkSeeded } from '../local/emulators/bulk-seed.ts';
import type { Stack } from '../local/stack.ts';
import type { DriftReport } from '../shared/drift/types.ts';
import { DRIFT_FLOW } from '../shared/flows.ts';
import { finishFlow, startTestStack } from './support/provision.ts';
import { startTestWorld, type TestWorld } from './support/stack.ts';

/** `POST /__admin/links/bulk`: many provisioned links in a running world, some drifted, for drift at fleet scale. */

const post = (adminUrl: string, body: unknown) =>
  fetch(`${adminUrl}/links/bulk`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('the admin API seeds managed links in bulk', () => {
  let w: TestWorld | undefined;
  let stack: Stack | undefined;
  afterEach(async () => {
    await w?.emu.close();
    await stack?.stop();
    w = undefined;
    stack = undefined;
  });

  it('answers the link IDs and the drifted ones; a second batch adds links', async () => {
    w = await startTestWorld();
    const res = await post(w.emu.adminUrl, { count: 5, driftEvery: 2 });
    expect(res.status).toBe(200);
    const first = (await res.json()) as BulkSeeded;
    expect(first).toMatchObject({ count: 5, region: DEMO.region, drifted: { kind: 'dns.record_missing' } });
    expect(first.linkIds).toHaveLength(5);
    for (const id of first.linkIds) expect(id).toMatch(/^zpl-[0-9a-f]{12}$/);
    // The 2nd and the 4th.
    expect(first.drifted.linkIds).toEqual([first.linkIds[1], first.linkIds[3]]);
    expect(w.emu.world.endpoints.size).toBe(5);
    expect([...w.emu.world.zones.values()].filter((z) => z.records.length === 0)).toHaveLength(2);

    const second = (await (await post(w.emu.adminUrl, { count: 3 })).json()) as BulkSeeded;
    expect(second.drifted.linkIds).toEqual([]);
    expect(new Set([...first.linkIds, ...second.linkIds]).size).toBe(8);
    expect(w.emu.world.endpoints.size).toBe(8);
  });

  it.each([
    ['no count', {}, /count/],
    ['a count of 0', { count: 0 }, /count/],
    ['a fractional count', { count: 2.5 }, /count/],
    ['a count as a string', { count: '5' }, /count/],
    ['more than 50,000', { count: 50_001 }, /count/],
    ['driftEvery 0', { count: 3, driftEvery: 0 }, /driftEvery/],
    ['an unknown field', { count: 3, owner: 'me' }, /owner/],
    ['an empty region', { count: 3, region: '' }, /region/],
    ['a region without a published hostname layout', { count: 3, region: 'us-east-1' }, /us-east-1 is not a region with a published/],
    ['a region without a cluster of the project', { count: 3, region: 'cn-beijing' }, /no cluster in ali-cn-beijing/],
    ['a body that is not JSON', '{"count":', /body must be/],
  ] as [string, unknown, RegExp][])('refuses %s with a 400 saying why, and writes nothing', async (_what, body, why) => {
    w = await startTestWorld();
    const res = await post(w.emu.adminUrl, body);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(why);
    expect(w.emu.world.endpoints.size).toBe(0);
  });

  it('links seeded over HTTP are what the drift flow checks, page by page, on a running stack', async () => {
    stack = await startTestStack();
    const seeded = (await (await post(stack.file.adminUrl, { count: 120, driftEvery: 40 })).json()) as BulkSeeded;
    await stack.flows.start(DRIFT_FLOW, 'bulk-drift', { regions: [DEMO.region], pageSize: 50 });
    const rec = await finishFlow(stack, DRIFT_FLOW, 'bulk-drift');
    expect(rec.status).toBe('Succeeded');
    const { report } = JSON.parse(rec.output!) as { report: DriftReport };
    expect(report).toMatchObject({ checked: 120, pages: 3, drifted: 3, deferred: 0, pagesFailed: 0, partial: false });
    expect(report.links.map((l) => l.linkId).sort()).toEqual([...seeded.drifted.linkIds].sort());
    expect(
      stack.edge.published
        .filter((e) => e.type === 'zpl.drift.detected')
        .map((e) => e.subject)
        .sort(),
    ).toEqual([...seeded.drifted.linkIds].sort());
  }, 120_000);
});
