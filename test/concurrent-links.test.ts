import { afterEach, describe, expect, it } from 'vitest';
import { resolveInVpc } from '../local/emulators/dns.ts';
import { DEMO } from '../local/emulators/fixtures.ts';
import type { Stack } from '../local/stack.ts';
import { linkId } from '../shared/derived.ts';
import { PROVISION_FLOW } from '../shared/flows.ts';
import { requireLinkSpec } from '../shared/spec.ts';
import { callName } from './support/calls.ts';
import { finish, startTestStack } from './support/provision.ts';
import { allowlistProjects, clusterOf, hostOf, linkSpec, manyLinksSeed, userEndpoint, vpcOf, zonesInWorld } from './support/vpcs.ts';

/**
 * 50 links provisioned at once through the real provision flow on the local engine (issue 14, item 3):
 * before zones were per VPC, 50 runs sharing one zone lost each other's BindZoneVpc updates. Here 10
 * VPCs × 5 Zilliz projects: the 5 links of each VPC race to create and bind that VPC's zone (one VPC
 * already has a user's zone of the name, which they share), every run verifies from inside its VPC,
 * and the emulator's state holds one zone per VPC, bound to that VPC alone, with each link's record.
 * PrivateLink allows one endpoint per VPC and service, so each VPC's endpoint is the user's, made
 * beforehand, and its five links reuse it (five links creating one at once is the endpoint's own race).
 * The whole flow, not the steps alone (about 15 s of wall time): the runs spread out as they go
 * (Zilliz's rate limit backs them off), so the race for a zone is not certain here; the step test
 * (test/steps/dns-concurrency.test.ts) starts 50 EnsureDns at once, where it is.
 */

const VPCS = 10;
const PROJECTS = 5;
const USERS_VPC = VPCS - 1;
const ZONE_NAME = 'ali-cn-hangzhou.vectordb.zilliz.com.cn';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

describe('50 concurrent links', () => {
  it('all succeed and verify; each VPC ends with one zone bound to it alone, holding its five links’ records, none lost', async () => {
    const seed = manyLinksSeed({ vpcs: VPCS, projects: PROJECTS }, (x) => {
      x.accounts![0]!.zones = [
        {
          zoneName: ZONE_NAME,
          proxyPattern: 'RECORD',
          bindings: [{ vpcId: vpcOf(USERS_VPC), regionId: DEMO.region }],
          records: [{ rr: 'intranet', type: 'A', value: '10.9.0.9', ttl: 60 }],
        },
      ];
    });
    // No cloud-side waits: the runs stay in step, so the links of a VPC reach EnsureDns together.
    stack = await startTestStack({ seed, timings: { serviceVisibleMs: 0, endpointActiveMs: 0, acceptMs: 0, connectMs: 0 } });
    const s = stack;
    allowlistProjects(s.emulators.world, PROJECTS);
    for (let v = 0; v < VPCS; v++) userEndpoint(s.emulators.world, v);
    const links = Array.from({ length: VPCS * PROJECTS }, (_, i) => ({ v: Math.floor(i / PROJECTS), p: i % PROJECTS }));
    await Promise.all(links.map(({ v, p }) => s.flows.start(PROVISION_FLOW, `many-${v}-${p}`, { spec: linkSpec(v, p) })));
    const runs = await Promise.all(links.map(({ v, p }) => finish(s, `many-${v}-${p}`)));

    expect(runs.map((r) => r.report?.failed).filter(Boolean)).toEqual([]);
    expect(runs.map((r) => r.rec.status)).toEqual(links.map(() => 'Succeeded'));
    // Verify resolved each link's hostname from inside its VPC through its own endpoint.
    expect(runs.map((r) => r.report!.verified!.map((x) => x.host))).toEqual(links.map(({ p }) => [hostOf(p)]));

    const zones = zonesInWorld(s.emulators.world);
    expect(zones).toHaveLength(VPCS);
    expect(zones.map((z) => z.vpcs.length)).toEqual(zones.map(() => 1));
    expect(zones.map((z) => z.vpcs[0]).sort()).toEqual(Array.from({ length: VPCS }, (_, v) => vpcOf(v)).sort());
    const domain = (v: number, p: number) => runs[v * PROJECTS + p]!.report!.endpoint!.domain;
    for (let v = 0; v < VPCS; v++) {
      const zone = zones.find((z) => z.vpcs[0] === vpcOf(v))!;
      const ours = Array.from({ length: PROJECTS }, (_, p) => `${clusterOf(p)}-privatelink → ${domain(v, p)}`);
      expect(zone.records.sort()).toEqual((v === USERS_VPC ? [...ours, 'intranet → 10.9.0.9'] : ours).sort());
      for (let p = 0; p < PROJECTS; p++) {
        const answer = resolveInVpc(s.emulators.world, vpcOf(v), hostOf(p), 'A').answers;
        expect(answer.find((a) => a.type === 'CNAME')?.data).toBe(domain(v, p));
      }
    }
    // The user's zone is theirs still; every other zone is marked by the link that won its VPC's race.
    expect(zones.find((z) => z.vpcs[0] === vpcOf(USERS_VPC))!.remark).toBeUndefined();
    const markers = new Set(links.map(({ v, p }) => `zpl.link.${linkId(requireLinkSpec(linkSpec(v, p)))}`));
    expect(zones.filter((z) => z.vpcs[0] !== vpcOf(USERS_VPC)).every((z) => markers.has(z.remark!))).toBe(true);
    // Zones the losers made were deleted again, and no BindZoneVpc ever touched the user's zone.
    const calls = s.emulators.calls.calls;
    const made = calls.filter((c) => callName(c) === 'AddZone' && c.ok).length;
    const deleted = calls.filter((c) => callName(c) === 'DeleteZone' && c.ok).length;
    expect(made - deleted).toBe(VPCS - 1);
    const usersZone = zones.find((z) => z.vpcs[0] === vpcOf(USERS_VPC))!.zoneId;
    expect(calls.filter((c) => callName(c) === 'BindZoneVpc' && c.params?.ZoneId === usersZone)).toEqual([]);
  });
});
