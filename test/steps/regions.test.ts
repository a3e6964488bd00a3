import { afterEach, describe, expect, it, vi } from 'vitest';
import { clusterTargets } from '../../shared/steps/cluster-targets.ts';
import { DEMO, type SeedInput } from '../../local/emulators/fixtures.ts';
import type { Emulators } from '../../local/emulators/index.ts';
import { linkId } from '../../shared/derived.ts';
import { REGIONS, ZILLIZ_ZONES, zillizApiBase } from '../../shared/regions.ts';
import { parseLinkSpec, requireLinkSpec, type LinkSpec } from '../../shared/spec.ts';
import { checkConnection } from '../../shared/steps/check-connection.ts';
import { readWorld } from '../../shared/steps/validate.ts';
import { checkDrift } from '../../shared/drift/check.ts';
import { removeDns } from '../../shared/steps/remove-dns.ts';
import { FAST, seedWith, spec as demoLinkSpec, worlds } from './support.ts';

/**
 * Zilliz's newer Alibaba regions, US (Virginia) us-east-1 and Singapore ap-southeast-1 (current
 * zdoc_cn guide), where no private-zone layout is published: the hostname is Zilliz's.
 */

const VPC = 'vpc-0xusdemo0000000000001';
const CLUSTER = DEMO.clusterId;
const SECOND = DEMO.secondClusterId;
/** What Zilliz assigns in the emulated us-east-1, on purpose unlike the China layout. */
const ASSIGNED = `${CLUSTER}-privatelink.ali-us-east-1.vectordb.zillizcloud.com`;

function usSeed(): SeedInput {
  return {
    accounts: [
      {
        accountId: DEMO.accountId,
        accessKeys: [{ accessKeyId: DEMO.accessKeyId, accessKeySecret: DEMO.accessKeySecret }],
        vpcs: [
          {
            vpcId: VPC,
            regionId: 'us-east-1',
            cidrBlock: '10.1.0.0/16',
            vSwitches: ['a', 'b', 'c'].map((z, i) => ({
              vSwitchId: `vsw-0xusdemo${z}00000000001`,
              zoneId: `us-east-1${z}`,
              cidrBlock: `10.1.${i + 1}.0/24`,
            })),
          },
        ],
      },
    ],
    zilliz: {
      apiKeys: [{ apiKey: DEMO.zillizApiKey, projectIds: [DEMO.projectId] }],
      projects: [
        {
          projectId: DEMO.projectId,
          clusters: [
            { clusterId: CLUSTER, regionId: 'ali-us-east-1', plan: 'Standard', privateLinkHost: ASSIGNED },
            // No host seeded: the emulated Zilliz assigns one of its own, not the China layout either.
            { clusterId: SECOND, regionId: 'ali-us-east-1', plan: 'Standard' },
          ],
        },
      ],
      // The service serves a zone the guide does not list (its Zones are the authority).
      endpointServices: [
        { regionId: 'us-east-1', serviceId: 'epsrv-0xzillizus00000001', zones: ['us-east-1a', 'us-east-1b', 'us-east-1c'] },
      ],
    },
  };
}

const usSpec = (over: Record<string, unknown> = {}): LinkSpec =>
  requireLinkSpec({
    projectId: DEMO.projectId,
    region: 'us-east-1',
    accountId: DEMO.accountId,
    vpcId: VPC,
    clusters: [CLUSTER],
    zones: [{ zoneId: 'us-east-1a' }, { zoneId: 'us-east-1c' }],
    ...over,
  });

const usWorlds = worlds();
afterEach(() => {
  vi.restoreAllMocks();
});

/** The emulated clouds seeded for us-east-1, with the steps acting there. */
const usWorld = () => usWorlds({ seed: usSeed(), timings: FAST, region: 'us-east-1' });

describe('the link spec in the newer regions', () => {
  it('takes us-east-1 and ap-southeast-1 with their zone spelling (us-east-1a); a zone outside the guide only warns', () => {
    const us = parseLinkSpec({ ...usSpecInput(), zones: [{ zoneId: 'us-east-1a' }, { zoneId: 'us-east-1c' }] });
    expect(us).toMatchObject({ ok: true, warnings: [expect.stringContaining('zone us-east-1c is not among')] });
    const sg = parseLinkSpec({
      ...usSpecInput(),
      region: 'ap-southeast-1',
      zones: [{ zoneId: 'ap-southeast-1a' }, { zoneId: 'ap-southeast-1c' }],
    });
    expect(sg).toMatchObject({ ok: true, warnings: [] });
    const misspelt = parseLinkSpec({ ...usSpecInput(), zones: [{ zoneId: 'us-east-1-a' }, { zoneId: 'cn-hangzhou-h' }] });
    expect(misspelt.ok ? [] : misspelt.errors.map((e) => e.field)).toEqual(['zones.0.zoneId', 'zones.1.zoneId']);
    expect(ZILLIZ_ZONES['us-east-1']).toEqual(['us-east-1a', 'us-east-1b']);
    expect(ZILLIZ_ZONES['ap-southeast-1']).toEqual(['ap-southeast-1a', 'ap-southeast-1b', 'ap-southeast-1c']);
  });

  it("every region's Zilliz control plane is the China site, the one that serves Alibaba Cloud", () => {
    expect(REGIONS).toEqual(['cn-hangzhou', 'cn-beijing', 'cn-shenzhen', 'cn-shanghai', 'us-east-1', 'ap-southeast-1']);
    for (const region of REGIONS) expect(zillizApiBase(region)).toBe('https://api.cloud.zilliz.com.cn');
  });
});

describe("the endpoint service's Zones are the authority on zones", () => {
  const open = worlds();

  it('cn-hangzhou-i, served but not in the guide: Validate warns and goes on, CheckService accepts it', async () => {
    const seed = seedWith((x) => {
      x.accounts![0]!.vpcs![0]!.vSwitches!.push({
        vSwitchId: 'vsw-bp1demoi000000000001',
        zoneId: 'cn-hangzhou-i',
        cidrBlock: '10.0.9.0/24',
      });
      x.zilliz!.endpointServices![0]!.zones.push('cn-hangzhou-i');
    });
    const w = await open({ seed, timings: FAST });
    const s = demoLinkSpec({ zones: [{ zoneId: 'cn-hangzhou-h' }, { zoneId: 'cn-hangzhou-i' }] });
    const view = await readWorld(s, w.deps);
    expect(view.problems).toEqual([]);
    expect(view.warnings).toEqual([expect.stringMatching(/^zone cn-hangzhou-i is not among Zilliz's documented zones in cn-hangzhou/)]);
    const state = await w.provisionThrough('CheckService', s);
    expect(state.zones).toEqual([
      { zoneId: 'cn-hangzhou-h', vSwitchId: 'vsw-bp1demoh000000000001' },
      { zoneId: 'cn-hangzhou-i', vSwitchId: 'vsw-bp1demoi000000000001' },
    ]);
    expect(state.serviceId).toBe('epsrv-bp1zillizhz0000001');
  });
});

describe('provisioning in us-east-1', () => {
  it("Validate: a zone the guide does not list is a warning while the service is not visible, and the service's Zones decide once it is", async () => {
    const w = await usWorld();
    const { emu, deps } = w;
    const notYet = await readWorld(usSpec({ zones: [{ zoneId: 'us-east-1a' }, { zoneId: 'us-east-1c' }] }), deps);
    expect(notYet.problems).toEqual([]);
    expect(notYet.warnings).toEqual([expect.stringMatching(/^zone us-east-1c is not among Zilliz's documented zones in us-east-1/)]);
    emu.world.allowlist(DEMO.projectId, 'ali-us-east-1', DEMO.accountId);
    const visible = await readWorld(usSpec(), deps);
    expect([visible.problems, visible.warnings]).toEqual([[], []]);
    expect(visible.zones.map((z) => z.zoneId)).toEqual(['us-east-1a', 'us-east-1c']);
  });

  it('the DNS record is named after the hostname Zilliz assigns (privateLinkAddress), not a guessed layout', async () => {
    const w = await usWorld();
    const { emu, deps } = w;
    const s = usSpec();
    const validated = await w.provisionThrough('Validate', s);
    // Before registration the address is "": the layout is a placeholder the flow may not use.
    expect(validated.port).toBe(19530);
    expect((await clusterTargets(s, deps))[0]!.host).toBe(`${CLUSTER}-privatelink.ali-us-east-1.vectordb.zilliz.com.cn`);
    const state = await w.provisionThrough('EnsureDns', s);
    expect(state.records).toEqual([{ clusterId: CLUSTER, recordId: expect.any(Number), host: ASSIGNED }]);
    const zones = [...emu.world.zones.values()];
    expect(zones.map((z) => [z.zoneName, z.bindings, z.records.map((r) => `${r.rr} ${r.type} ${r.value}`)])).toEqual([
      [
        'ali-us-east-1.vectordb.zillizcloud.com',
        [{ vpcId: VPC, regionId: 'us-east-1', vpcType: 'STANDARD', vpcUserId: DEMO.accountId }],
        [`${CLUSTER}-privatelink CNAME ${state.endpointDomain}`],
      ],
    ]);
  });

  it('connected, but Zilliz has not assigned the address yet: CheckConnection waits for it rather than guess, and times out saying so', async () => {
    const w = await usWorld();
    const { emu, deps } = w;
    const s = usSpec({ deadlines: { connectionSeconds: 120 } });
    const registered = await w.provisionThrough('RegisterEndpoint', s);
    const describe = deps.zilliz.describeCluster.bind(deps.zilliz);
    vi.spyOn(deps.zilliz, 'describeCluster').mockImplementation(async (id) => ({ ...(await describe(id)), privateLinkAddress: '' }));
    const first = await checkConnection({ spec: s, state: registered, execution: 'exec-1' }, deps);
    expect(first.wait).toMatchObject({
      ready: false,
      waitingFor: `Zilliz to assign the private-link address of ${CLUSTER} (no hostname layout is published for us-east-1)`,
    });
    expect((await clusterTargets(s, deps))[0]!.host).not.toBe(ASSIGNED);
    emu.clock.advance(120_000);
    await expect(checkConnection({ spec: s, state: first.state, execution: 'exec-1' }, deps)).rejects.toMatchObject({
      code: 'Wait.PrivateLinkAddress',
    });
    vi.restoreAllMocks();
    const retried = await checkConnection({ spec: s, state: { ...first.state, waits: {} }, execution: 'exec-2' }, deps);
    expect(retried.wait?.ready).toBe(true);
    expect((await clusterTargets(s, deps))[0]!.host).toBe(ASSIGNED);
  });
});

describe('teardown and drift in us-east-1 name records as Zilliz does, not by the China layout', () => {
  /** What PrivateZone holds: each zone's name, remark, bindings and records. */
  const pvtzShape = (emu: Emulators) =>
    [...emu.world.zones.values()].map((z) => ({
      zoneName: z.zoneName,
      remark: z.remark,
      vpcs: z.bindings.map((b) => b.vpcId),
      records: z.records.map((r) => `${r.rr} ${r.remark ?? ''}`),
    }));

  it('provision then teardown leaves no zone, record or VPC binding zpl made', async () => {
    const w = await usWorld();
    const { emu } = w;
    const s = usSpec({ clusters: [CLUSTER, SECOND] });
    await w.provisionThrough('EnsureDns', s);
    expect(pvtzShape(emu)).toEqual([
      {
        zoneName: 'ali-us-east-1.vectordb.zillizcloud.com',
        remark: `zpl.link.${linkId(s)}`,
        vpcs: [VPC],
        records: [`${CLUSTER}-privatelink zpl.link.${linkId(s)}`, `${SECOND}-privatelink zpl.link.${linkId(s)}`],
      },
    ]);
    const plan = await w.teardownThrough('TeardownPlan', s);
    expect(plan.teardown?.zones).toEqual([
      {
        zoneId: expect.any(String),
        zoneName: 'ali-us-east-1.vectordb.zillizcloud.com',
        ours: true,
        bindingOurs: true,
        rrs: [`${CLUSTER}-privatelink`, `${SECOND}-privatelink`],
      },
    ]);
    await w.teardownThrough('DeleteSecurityGroup', s);
    expect(pvtzShape(emu)).toEqual([]);
    expect([...emu.world.endpoints.values()].filter((e) => e.deletingAt === undefined)).toEqual([]);
  });

  it('drift right after provisioning finds the link clean, asking Zilliz once per cluster for its host', async () => {
    const w = await usWorld();
    const { emu, deps } = w;
    const s = usSpec({ clusters: [CLUSTER, SECOND] });
    await w.provisionThrough('EnsureDns', s);
    const mark = emu.calls.calls.length;
    const { report, drifted } = await checkDrift(deps, { regions: ['us-east-1'] });
    expect(drifted).toEqual([]);
    expect(report).toMatchObject({ checked: 1, drifted: 0 });
    expect(emu.calls.calls.slice(mark).filter((c) => c.action === 'describeCluster').length).toBe(2);
  });

  it('a cluster deleted in Zilliz: drift says so and nothing about DNS; teardown still removes its record and the zone', async () => {
    const w = await usWorld();
    const { emu, deps } = w;
    const s = usSpec();
    await w.provisionThrough('EnsureDns', s);
    emu.world.zilliz.clusters.delete(CLUSTER);
    await expect(deps.zilliz.describeCluster(CLUSTER)).rejects.toMatchObject({ code: 96018 });
    const { drifted } = await checkDrift(deps, { regions: ['us-east-1'] });
    expect(drifted.map((d) => d.findings.map((f) => f.kind))).toEqual([['zilliz.cluster_missing']]);
    const plan = await w.teardownThrough('TeardownPlan', s);
    expect(plan.teardown?.zones).toEqual([
      {
        zoneId: expect.any(String),
        zoneName: 'ali-us-east-1.vectordb.zillizcloud.com',
        ours: true,
        bindingOurs: true,
        rrs: [`${CLUSTER}-privatelink`],
      },
    ]);
    await w.teardownThrough('DeleteSecurityGroup', s);
    expect(pvtzShape(emu)).toEqual([]);
  });

  it("removing one cluster Zilliz has forgotten takes only its record: the kept cluster's host claims the other", async () => {
    const w = await usWorld();
    const { emu } = w;
    const s = usSpec({ clusters: [CLUSTER, SECOND] });
    await w.provisionThrough('EnsureDns', s);
    emu.world.zilliz.clusters.delete(CLUSTER);
    await w.teardownThrough('DeleteSecurityGroup', s, { removeClusters: [CLUSTER] });
    expect(pvtzShape(emu)).toEqual([
      {
        zoneName: 'ali-us-east-1.vectordb.zillizcloud.com',
        remark: `zpl.link.${linkId(s)}`,
        vpcs: [VPC],
        records: [`${SECOND}-privatelink zpl.link.${linkId(s)}`],
      },
    ]);
  });

  it("RemoveDns given a plan made before plans listed record names (an interrupted teardown) names them from Zilliz's host", async () => {
    const w = await usWorld();
    const { deps } = w;
    const s = usSpec();
    await w.provisionThrough('EnsureDns', s);
    const planned = await w.teardownThrough('TeardownPlan', s);
    const old = { ...planned, teardown: { ...planned.teardown!, zones: planned.teardown!.zones.map(({ rrs: _rrs, ...z }) => z) } };
    const result = await removeDns({ spec: s, state: old, execution: 'exec-1' }, deps);
    expect(result.state.changes.filter((c) => c.resource === 'record')).toEqual([
      { step: 'RemoveDns', action: 'deleted', resource: 'record', id: expect.any(String), note: `${CLUSTER}-privatelink` },
    ]);
  });

  it('when neither the removed nor the kept cluster has a host from Zilliz, no record is taken', async () => {
    const w = await usWorld();
    const { emu } = w;
    const s = usSpec({ clusters: [CLUSTER, SECOND] });
    await w.provisionThrough('EnsureDns', s);
    emu.world.zilliz.clusters.delete(CLUSTER);
    emu.world.zilliz.clusters.delete(SECOND);
    const plan = await w.teardownThrough('TeardownPlan', s, { removeClusters: [CLUSTER] });
    expect(plan.teardown?.zones).toEqual([]);
    expect(plan.changes.at(-1)).toMatchObject({ step: 'TeardownPlan', action: 'kept', resource: 'record' });
  });
});

function usSpecInput() {
  return { projectId: DEMO.projectId, region: 'us-east-1', accountId: DEMO.accountId, vpcId: VPC, clusters: [CLUSTER] };
}
