import { afterEach, expect, it } from 'vitest';
import { DEMO } from '../local/emulators/fixtures.ts';
import { startTestWorld, type TestWorld } from './support/stack.ts';

/**
 * The admin API seeds what the real world holds before a link exists, over HTTP against a running
 * emulator: here a Dedicated cluster whose `privateLinkAddress` is still "" (zdoc_cn
 * describe-cluster-v2 examples; the name is assigned once a private link is registered).
 */
let w: TestWorld;
afterEach(() => w.emu.close());

it('a Dedicated cluster seeded through /__admin/seed answers privateLinkAddress "" before any link, and its call is logged with its parameters', async () => {
  w = await startTestWorld();
  const clusterId = 'in01-00000000000fresh';
  const seeded = await fetch(`${w.emu.adminUrl}/seed`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      zilliz: { projects: [{ projectId: DEMO.projectId, clusters: [{ clusterId, regionId: 'ali-cn-hangzhou', plan: 'Enterprise' }] }] },
    }),
  });
  expect(seeded.status).toBe(200);
  const cluster = await w.zilliz.describeCluster(clusterId);
  expect(cluster).toMatchObject({ clusterId, privateLinkAddress: '' });
  expect(w.emu.calls.calls.filter((c) => c.service === 'zilliz').at(-1)).toMatchObject({ ok: true, params: { clusterId } });
});
