import { describe, expect, it } from 'vitest';
import { resolveInVpc } from '../../local/emulators/dns.ts';
import { DEMO } from '../../local/emulators/fixtures.ts';
import { linkId } from '../../shared/derived.ts';
import { requireLinkSpec, type LinkSpec } from '../../shared/spec.ts';
import { ensureDns } from '../../shared/steps/ensure-dns.ts';
import { removeDns } from '../../shared/steps/remove-dns.ts';
import { teardownPlan } from '../../shared/steps/teardown-plan.ts';
import type { LinkState } from '../../shared/steps/types.ts';
import { allowlistProjects, clusterOf, hostOf, linkSpec, manyLinksSeed, vpcOf, zonesInWorld } from '../support/vpcs.ts';
import { callsOf, FAST, spec, start, worlds, writes, ZONE_NAME, type StepWorld } from './support.ts';

/**
 * Zones per VPC (issue 14): a link's records live only in the zone of that name bound to its VPC;
 * links of one VPC share it; no zone is bound to a VPC whose link did not ask for it; racing runs
 * end with one zone per VPC and name.
 */

const open = worlds();
const link = (v: number, p: number, over: Record<string, unknown> = {}) => requireLinkSpec(linkSpec(v, p, over));

/** A step world with `vpcs` VPCs and `projects` Zilliz projects, the account allowlisted for each. */
async function many(vpcs: number, projects: number) {
  const w = await open({ seed: manyLinksSeed({ vpcs, projects }), timings: FAST });
  allowlistProjects(w.emu.world, projects);
  return w;
}

/** What the VPC's resolver answers for a name: the CNAME target, if any, and the addresses. */
function resolved(w: StepWorld, vpcId: string, host: string) {
  const answer = resolveInVpc(w.emu.world, vpcId, host, 'A');
  return {
    cname: answer.answers.find((a) => a.type === 'CNAME')?.data,
    addresses: answer.answers.filter((a) => a.type === 'A').map((a) => a.data),
  };
}

const ips = (state: LinkState) => state.zoneIps!.map((z) => z.ip).sort();

describe('zones per VPC', () => {
  it('a second VPC linking the same project and cluster gets a zone of its own: each VPC resolves the cluster to its own endpoint', async () => {
    const w = await many(2, 1);
    const first = await w.provisionThrough('EnsureDns', spec());
    const second = await w.provisionThrough('EnsureDns', link(1, 0));
    expect(zonesInWorld(w.emu.world)).toEqual([
      expect.objectContaining({ name: ZONE_NAME, vpcs: [vpcOf(0)], records: [`${DEMO.clusterId}-privatelink → ${first.endpointDomain}`] }),
      expect.objectContaining({ name: ZONE_NAME, vpcs: [vpcOf(1)], records: [`${DEMO.clusterId}-privatelink → ${second.endpointDomain}`] }),
    ]);
    expect(resolved(w, vpcOf(0), hostOf(0))).toEqual({ cname: first.endpointDomain, addresses: ips(first) });
    expect(resolved(w, vpcOf(1), hostOf(0))).toEqual({ cname: second.endpointDomain, addresses: ips(second) });
  });

  it("a third VPC's link of another cluster binds nothing of the others': there the first cluster's name is not sent to their endpoints", async () => {
    const w = await many(3, 2);
    const first = await w.provisionThrough('EnsureDns', spec());
    const third = await w.provisionThrough('EnsureDns', link(2, 1));
    expect(zonesInWorld(w.emu.world).map((z) => z.vpcs)).toEqual([[vpcOf(0)], [vpcOf(2)]]);
    expect(resolved(w, vpcOf(2), hostOf(1))).toEqual({ cname: third.endpointDomain, addresses: ips(third) });
    // The recursive proxy answers it publicly (nothing is published for it here): not the first link's addresses.
    expect(resolved(w, vpcOf(2), hostOf(0))).toEqual({ cname: undefined, addresses: [] });
    expect(resolved(w, vpcOf(0), hostOf(0)).cname).toBe(first.endpointDomain);
  });

  it('two links of one VPC (two Zilliz projects) share its zone, each record to its own endpoint; tearing one down keeps the zone, the last deletes it', async () => {
    const w = await many(1, 2);
    const a = spec();
    const b = link(0, 1);
    const madeA = await w.provisionThrough('EnsureDns', a);
    const madeB = await w.provisionThrough('EnsureDns', b);
    const [zone] = zonesInWorld(w.emu.world);
    expect(zonesInWorld(w.emu.world)).toHaveLength(1);
    expect(zone).toMatchObject({
      vpcs: [DEMO.vpcId],
      remark: `zpl.link.${linkId(a)}`,
      records: [`${clusterOf(0)}-privatelink → ${madeA.endpointDomain}`, `${clusterOf(1)}-privatelink → ${madeB.endpointDomain}`],
    });
    expect(madeB.changes.find((c) => c.resource === 'private zone')).toMatchObject({
      action: 'reused',
      note: `${ZONE_NAME}; made by zpl for link ${linkId(a)}, shared by the zpl links in ${DEMO.vpcId}`,
    });
    expect(resolved(w, DEMO.vpcId, hostOf(1)).cname).toBe(madeB.endpointDomain);

    // The maker goes first: the zone stays for the other link, bound, with its record.
    const { state: planA } = await w.call(teardownPlan, a, start(a));
    await w.settle(removeDns, a, planA);
    expect(zonesInWorld(w.emu.world)).toEqual([
      expect.objectContaining({ vpcs: [DEMO.vpcId], records: [`${clusterOf(1)}-privatelink → ${madeB.endpointDomain}`] }),
    ]);
    expect(resolved(w, DEMO.vpcId, hostOf(1)).cname).toBe(madeB.endpointDomain);
    const { state: planB } = await w.call(teardownPlan, b, start(b));
    expect(planB.teardown!.zones).toEqual([expect.objectContaining({ zoneId: zone!.zoneId, ours: true, bindingOurs: true })]);
    await w.settle(removeDns, b, planB);
    expect(zonesInWorld(w.emu.world)).toEqual([]);
  });

  it('five links of one VPC racing for its zone end with one zone bound to it, holding all five records', async () => {
    const w = await many(1, 5);
    const specs = [0, 1, 2, 3, 4].map((p) => link(0, p));
    const states = await Promise.all(specs.map((s) => w.provisionThrough('CheckConnection', s)));
    const done = await Promise.all(specs.map((s, i) => w.call(ensureDns, s, states[i]!)));
    const zones = zonesInWorld(w.emu.world);
    expect(zones).toHaveLength(1);
    expect(zones[0]!.vpcs).toEqual([DEMO.vpcId]);
    expect(zones[0]!.records.sort()).toEqual(specs.map((s, i) => `${s.clusters[0]}-privatelink → ${states[i]!.endpointDomain}`).sort());
    expect(new Set(done.map((d) => d.state.dnsZoneId))).toEqual(new Set([zones[0]!.zoneId]));
    // Every zone a loser made (records and all) was deleted again.
    expect(callsOf(w.emu.calls.calls, 'DeleteZone').filter((c) => c.ok)).toHaveLength(
      callsOf(w.emu.calls.calls, 'AddZone').filter((c) => c.ok).length - 1,
    );
  });
});

describe('late AddZone replies', () => {
  const zonesOfLink = (w: StepWorld, s: LinkSpec) => [...w.emu.world.zones.values()].filter((z) => z.remark === `zpl.link.${linkId(s)}`);

  it('a run whose AddZone answers late, beside the next run of the link: one zone remains, bound, with the one record', async () => {
    const w = await open({ timings: FAST });
    const s = spec();
    const state = await w.provisionThrough('CheckConnection', s);
    // The first AddZone is held for 30 s of emulated time: the other run creates, fills and binds its zone meanwhile.
    w.emu.faults.add({ target: 'AddZone', kind: 'latency', latencyMs: 30_000, count: 1 });
    const [late, next] = await Promise.all([
      w.call(ensureDns, s, state, { execution: 'p0001' }),
      w.call(ensureDns, s, state, { execution: 'p0002' }),
    ]);
    const zones = zonesOfLink(w, s);
    expect(zones).toHaveLength(1);
    expect(zones[0]!.bindings.map((b) => b.vpcId)).toEqual([DEMO.vpcId]);
    expect(zones[0]!.records.map((r) => r.value)).toEqual([state.endpointDomain]);
    expect([late.state.dnsZoneId, next.state.dnsZoneId]).toEqual([zones[0]!.zoneId, zones[0]!.zoneId]);
    // With a ClientToken per run (the tokens of this branch) the late reply made a second zone, and its run deleted it.
    const sweeps = [late, next].flatMap((r) => r.state.changes).filter((c) => c.action === 'deleted' && c.resource === 'private zone');
    expect(sweeps.length).toBe(callsOf(w.emu.calls.calls, 'DeleteZone').filter((c) => c.ok).length);
  });

  it("duplicates this link made are swept: the zone bound to the VPC is kept, the link's unbound ones deleted, anyone else's left", async () => {
    const w = await open({ timings: FAST });
    const s = spec();
    const state = await w.provisionThrough('EnsureDns', s);
    const pvtz = w.emu.world.pvtz;
    const mark = `zpl.link.${linkId(s)}`;
    // What late AddZone replies leave: zones of the link's name and mark bound to nothing; and someone else's.
    const late1 = pvtz.addZone(DEMO.accountId, { zoneName: ZONE_NAME, proxyPattern: 'RECORD', remark: mark, bindings: [] });
    const late2 = pvtz.addZone(DEMO.accountId, { zoneName: ZONE_NAME, proxyPattern: 'RECORD', remark: mark, bindings: [] });
    const theirs = pvtz.addZone(DEMO.accountId, { zoneName: ZONE_NAME, proxyPattern: 'RECORD', bindings: [] });
    const before = w.mark();
    const { state: next } = await w.call(ensureDns, s, state, { execution: 'exec-2' });
    expect(writes(w.callsSince(before))).toEqual(['DeleteZone', 'DeleteZone']);
    expect([...w.emu.world.zones.keys()].sort()).toEqual([state.dnsZoneId!, theirs.zoneId].sort());
    expect(
      next.changes
        .filter((c) => c.action === 'deleted')
        .map((c) => c.id)
        .sort(),
    ).toEqual([late1.zoneId, late2.zoneId].sort());
  });

  it('with none bound (the runs all stopped before binding), the oldest is bound and the others deleted', async () => {
    const w = await open({ timings: FAST });
    const s = spec();
    const state = await w.provisionThrough('CheckConnection', s);
    const pvtz = w.emu.world.pvtz;
    const mark = `zpl.link.${linkId(s)}`;
    const oldest = pvtz.addZone(DEMO.accountId, { zoneName: ZONE_NAME, proxyPattern: 'RECORD', remark: mark, bindings: [] });
    w.emu.clock.advance(1000);
    const newer = pvtz.addZone(DEMO.accountId, { zoneName: ZONE_NAME, proxyPattern: 'RECORD', remark: mark, bindings: [] });
    const before = w.mark();
    const { state: next } = await w.call(ensureDns, s, state);
    expect(writes(w.callsSince(before))).toEqual(['AddZoneRecord', 'BindZoneVpc', 'DeleteZone']);
    expect(zonesInWorld(w.emu.world)).toEqual([
      expect.objectContaining({
        zoneId: oldest.zoneId,
        vpcs: [DEMO.vpcId],
        records: [`${DEMO.clusterId}-privatelink → ${state.endpointDomain}`],
      }),
    ]);
    expect(next.changes.find((c) => c.action === 'deleted')).toMatchObject({ resource: 'private zone', id: newer.zoneId });
  });
});
