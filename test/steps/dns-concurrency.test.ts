import { describe, expect, it } from 'vitest';
import { requireLinkSpec } from '../../shared/spec.ts';
import { ensureDns } from '../../shared/steps/ensure-dns.ts';
import { verify } from '../../shared/steps/verify.ts';
import { callName } from '../support/calls.ts';
import { allowlistProjects, clusterOf, hostOf, linkSpec, manyLinksSeed, userEndpoint, vpcOf, zonesInWorld } from '../support/vpcs.ts';
import { FAST, worlds } from './support.ts';

/**
 * 50 links' EnsureDns started at the same moment (issue 14, item 3), 10 VPCs × 5 Zilliz projects: the
 * five links of each VPC race to create and bind that VPC's zone. The losers hear ZoneVpc.Zone.Repeated,
 * move to the winner's zone and delete their own; nothing is lost; every link verifies from inside its VPC.
 */

const open = worlds();
const VPCS = 10;
const PROJECTS = 5;

describe('50 links racing for their VPCs’ zones', () => {
  it('one zone per VPC, bound to it alone, with all five records; every link resolves through its endpoint', async () => {
    const w = await open({ seed: manyLinksSeed({ vpcs: VPCS, projects: PROJECTS }), timings: FAST, network: true });
    allowlistProjects(w.emu.world, PROJECTS);
    for (let v = 0; v < VPCS; v++) userEndpoint(w.emu.world, v);
    const links = Array.from({ length: VPCS * PROJECTS }, (_, i) => ({ v: Math.floor(i / PROJECTS), p: i % PROJECTS }));
    const specs = links.map(({ v, p }) => requireLinkSpec(linkSpec(v, p)));
    const connected = await Promise.all(specs.map((s) => w.provisionThrough('CheckConnection', s)));
    const done = await Promise.all(specs.map((s, i) => w.call(ensureDns, s, connected[i]!)));

    const zones = zonesInWorld(w.emu.world);
    expect(zones).toHaveLength(VPCS);
    expect(zones.map((z) => z.vpcs.length)).toEqual(zones.map(() => 1));
    for (let v = 0; v < VPCS; v++) {
      const zone = zones.find((z) => z.vpcs[0] === vpcOf(v))!;
      const domain = connected[v * PROJECTS]!.endpointDomain;
      expect(zone.records.sort()).toEqual(Array.from({ length: PROJECTS }, (_, p) => `${clusterOf(p)}-privatelink → ${domain}`).sort());
      expect(new Set(done.slice(v * PROJECTS, (v + 1) * PROJECTS).map((d) => d.state.dnsZoneId))).toEqual(new Set([zone.zoneId]));
    }
    const calls = w.emu.calls.calls;
    // The races happened (the five links of a VPC read before any bound) and were settled: every zone a loser made is gone.
    expect(calls.filter((c) => c.code === 'ZoneVpc.Zone.Repeated').length).toBeGreaterThan(0);
    expect(
      calls.filter((c) => callName(c) === 'AddZone' && c.ok).length - calls.filter((c) => callName(c) === 'DeleteZone' && c.ok).length,
    ).toBe(VPCS);

    const verified = await Promise.all(specs.map((s, i) => w.call(verify, s, done[i]!.state)));
    expect(verified.map((r) => r.state.verified!.map((x) => x.host))).toEqual(links.map(({ p }) => [hostOf(p)]));
  });
});
