import { describe, expect, it } from 'vitest';
import { resolveInVpc } from '../../local/emulators/dns.ts';
import { DEMO } from '../../local/emulators/fixtures.ts';
import { linkId } from '../../shared/derived.ts';
import { planLink } from '../../shared/plan.ts';
import { requireLinkSpec } from '../../shared/spec.ts';
import { ensureDns } from '../../shared/steps/ensure-dns.ts';
import { keeperOf } from '../../shared/steps/zone-split.ts';
import { allowlistProjects, clusterOf, hostOf, linkSpec, manyLinksSeed, vpcOf, zonesInWorld } from '../support/vpcs.ts';
import { FAST, worlds, writes, ZONE_NAME } from './support.ts';

/**
 * Zones an older zpl shared between VPCs (issue 14: a third VPC's link bound the first link's zone to its VPC):
 * the VPC that does not keep the zone moves to a zone of its own when its link runs.
 */

const open = worlds();

/** Link A (project 0, VPC 0) and link C (project 1, VPC 1), connected, and the zone an older zpl left: A's, bound to both, with both records. */
async function legacyShared() {
  const w = await open({ seed: manyLinksSeed({ vpcs: 2, projects: 2 }), timings: FAST });
  allowlistProjects(w.emu.world, 2);
  const a = requireLinkSpec(linkSpec(0, 0));
  const c = requireLinkSpec(linkSpec(1, 1));
  const stateA = await w.provisionThrough('CheckConnection', a);
  const stateC = await w.provisionThrough('CheckConnection', c);
  const world = w.emu.world;
  const vpc = (id: string) => world.vpc.vpcs.get(id)!;
  const shared = world.pvtz.addZone(DEMO.accountId, {
    zoneName: ZONE_NAME,
    proxyPattern: 'RECORD',
    remark: `zpl.link.${linkId(a)}`,
    bindings: [vpcOf(0), vpcOf(1)].map((v) => ({
      vpcId: v,
      regionId: DEMO.region,
      vpcType: 'STANDARD' as const,
      vpcUserId: vpc(v).accountId,
    })),
  });
  world.pvtz.addRecord(shared, {
    rr: `${clusterOf(0)}-privatelink`,
    type: 'CNAME',
    value: stateA.endpointDomain!,
    ttl: 60,
    remark: `zpl.link.${linkId(a)}`,
  });
  world.pvtz.addRecord(shared, {
    rr: `${clusterOf(1)}-privatelink`,
    type: 'CNAME',
    value: stateC.endpointDomain!,
    ttl: 60,
    remark: `zpl.link.${linkId(c)}`,
  });
  return { w, a, c, stateA, stateC, shared };
}

const cnameIn = (w: Awaited<ReturnType<typeof legacyShared>>['w'], vpcId: string, host: string) =>
  resolveInVpc(w.emu.world, vpcId, host, 'CNAME').answers.find((x) => x.type === 'CNAME')?.data;

describe('zones an older zpl shared between VPCs', () => {
  it('the VPC whose link did not make the zone moves to a zone of its own, with its records; the maker keeps the zone', async () => {
    const { w, a, c, stateA, stateC, shared } = await legacyShared();
    // Before: each VPC resolves the other's cluster to an endpoint in the other VPC.
    expect(cnameIn(w, vpcOf(1), hostOf(0))).toBe(stateA.endpointDomain);

    const planned = await planLink(c, w.deps);
    expect(planned.items.find((i) => i.resource === 'private zone')).toMatchObject({
      action: 'update',
      detail: expect.stringContaining(
        `also serves ${vpcOf(0)} (zpl links there): move ${vpcOf(1)} to a zone of its own, ${vpcOf(0)} keeps this one`,
      ),
    });

    const { state } = await w.call(ensureDns, c, stateC);
    const zones = zonesInWorld(w.emu.world);
    expect(zones).toEqual([
      expect.objectContaining({
        zoneId: shared.zoneId,
        vpcs: [vpcOf(0)],
        records: [`${clusterOf(0)}-privatelink → ${stateA.endpointDomain}`],
      }),
      expect.objectContaining({
        remark: `zpl.link.${linkId(c)}`,
        vpcs: [vpcOf(1)],
        records: [`${clusterOf(1)}-privatelink → ${stateC.endpointDomain}`],
      }),
    ]);
    expect(state.dnsZoneId).toBe(zones[1]!.zoneId);
    expect(state.changes.find((ch) => ch.resource === 'shared private zone from VPC')).toMatchObject({
      action: 'unbound',
      id: shared.zoneId,
    });
    expect(cnameIn(w, vpcOf(1), hostOf(1))).toBe(stateC.endpointDomain);
    expect(cnameIn(w, vpcOf(1), hostOf(0))).toBeUndefined();
    expect(cnameIn(w, vpcOf(0), hostOf(1))).toBeUndefined();
    expect(cnameIn(w, vpcOf(0), hostOf(0))).toBe(stateA.endpointDomain);

    // The keeper's run finds nothing to do.
    const mark = w.mark();
    await w.call(ensureDns, a, stateA);
    expect(writes(w.callsSince(mark))).toEqual([]);
  });

  it("the keeper's link running first changes nothing; the other link's run still moves", async () => {
    const { w, a, c, stateA, stateC, shared } = await legacyShared();
    const mark = w.mark();
    await w.call(ensureDns, a, stateA);
    expect(writes(w.callsSince(mark))).toEqual([]);
    await w.call(ensureDns, c, stateC);
    expect(zonesInWorld(w.emu.world).map((z) => z.vpcs)).toEqual([[vpcOf(0)], [vpcOf(1)]]);
    expect(w.emu.world.zones.get(shared.zoneId)!.records.map((r) => r.rr)).toEqual([`${clusterOf(0)}-privatelink`]);
  });

  it("another link's record sending this VPC to another VPC's endpoint is removed from a zone serving only this VPC; plan showed it", async () => {
    const { w, a, c, stateA, stateC } = await legacyShared();
    // Done with the shared zone: A's own zone, bound only to VPC 0, holding C's record (as an older zpl could leave it).
    const { state: made } = await w.call(ensureDns, c, stateC);
    const own = [...w.emu.world.zones.values()].find((z) => z.bindings.some((b) => b.vpcId === vpcOf(0)))!;
    w.emu.world.pvtz.addRecord(own, {
      rr: 'stray',
      type: 'CNAME',
      value: stateC.endpointDomain!,
      ttl: 60,
      remark: `zpl.link.${linkId(c)}`,
    });
    w.emu.world.pvtz.addRecord(own, { rr: 'users', type: 'CNAME', value: stateC.endpointDomain!, ttl: 60 });
    expect((await planLink(a, w.deps)).items.filter((i) => i.action === 'remove')).toEqual([
      expect.objectContaining({ resource: 'CNAME record', detail: expect.stringMatching(/^stray\..* points at .*made by zpl for link/) }),
    ]);
    const mark = w.mark();
    await w.call(ensureDns, a, stateA);
    expect(writes(w.callsSince(mark))).toEqual(['DeleteZoneRecord']);
    expect(own.records.map((r) => r.rr).sort()).toEqual([`${clusterOf(0)}-privatelink`, 'users']);
    expect(made.dnsZoneId).not.toBe(own.zoneId);
  });

  it('which VPC keeps a shared zone: its maker’s, else the smallest ID, so concurrent runs agree', () => {
    expect(keeperOf(['vpc-b', 'vpc-a', 'vpc-c'], 'vpc-c')).toBe('vpc-c');
    expect(keeperOf(['vpc-b', 'vpc-a'], 'vpc-gone')).toBe('vpc-a');
    expect(keeperOf(['vpc-b', 'vpc-a'], undefined)).toBe('vpc-a');
  });
});
