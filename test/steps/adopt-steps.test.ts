import { describe, expect, it } from 'vitest';
import { DEMO } from '../../local/emulators/fixtures.ts';
import { inspectAndMark } from '../../shared/adopt/adopt.ts';
import { withDifferences } from '../../shared/adopt/differences.ts';
import type { AdoptNames } from '../../shared/adopt/types.ts';
import { linkId } from '../../shared/derived.ts';
import { CHANGES, planLink } from '../../shared/plan.ts';
import type { LinkSpec } from '../../shared/spec.ts';
import { handMadeLink, ZONE_NAME } from '../support/hand-made.ts';
import { FAST, OTHER_VPC, seedWith, shape, spec, start, worlds, writes, type StepWorld } from './support.ts';

/**
 * `zpl adopt` step by step over a hand-made setup (the guide clicked through by hand): what it shows
 * without writing, what it marks when confirmed, what it never marks, and each refusal — all counted
 * at the emulator. The flow, the CLI and the API run the same code (test/adopt.test.ts).
 */

const open = worlds();
const s = spec();
const id = linkId(s);
const H = 'vsw-bp1demoh000000000001';

async function handMade(w: StepWorld, userRecord = false) {
  return handMadeLink(w.deps.aliyun, w.deps.zilliz, {
    vpcId: DEMO.vpcId,
    vSwitchH: H,
    tag: 'hm',
    userRecord,
    passTime: async () => undefined,
  });
}

/** Both halves, as the flow's Adopt and PlanAdoption steps run them. */
const run = async (w: StepWorld, names: AdoptNames, write: boolean, over: LinkSpec = s) =>
  withDifferences(over, await inspectAndMark({ spec: over, state: start(over), execution: 'adopt-1' }, names, write, w.deps), w.deps);

describe('adopting a hand-made setup', () => {
  it("a dry run writes nothing and shows what is adopted, what stays the user's and how the link then differs from its spec", async () => {
    const w = await open({ timings: FAST });
    const hm = await handMade(w, true);
    const before = shape(w.emu);
    const mark = w.mark();
    const r = await run(w, { endpointId: hm.endpointId, securityGroupId: hm.securityGroupId, zoneId: hm.zoneId }, false);
    expect(writes(w.callsSince(mark))).toEqual([]);
    expect(shape(w.emu)).toEqual(before);
    expect(r.refusals).toEqual([]);
    expect(r.written).toBe(false);
    expect(r.items.map((i) => `${i.action} ${i.resource} ${i.id}`)).toEqual([
      `adopt interface endpoint ${hm.endpointId}`,
      `leave security group ${hm.otherGroupId}`,
      `adopt security group ${hm.securityGroupId}`,
      `adopt private zone ${hm.zoneId}`,
      `adopt record ${hm.recordId}`,
      `leave record ${hm.userRecordId}`,
    ]);
    const diff = r.differences.map((d) => `${d.action} ${d.resource}`);
    // The differences from the spec: a zone to add, the guide's wide rule and the SSH rule, the user's tag, the record pointing elsewhere.
    expect(diff).toContain('update interface endpoint');
    expect(r.differences.find((d) => d.resource === 'interface endpoint')!.detail).toMatch(/add zones cn-hangzhou-j/);
    expect(r.differences.find((d) => d.resource === 'security group rules')!.detail).toMatch(
      /revoke .*0\.0\.0\.0\/0.*22\/22|revoke .*22\/22.*0\.0\.0\.0\/0/,
    );
    expect(r.differences.find((d) => d.resource === 'endpoint tags' && d.action === 'remove')!.detail).toMatch(/untag team/);
    expect(r.differences.find((d) => d.resource === 'CNAME record')).toMatchObject({ action: 'update' });
    expect(r.differences.find((d) => d.resource === 'private zone proxy')).toMatchObject({ action: 'update' });
    expect(diff).not.toContain('create security group');
    expect(diff).not.toContain('create interface endpoint');
    expect(diff).not.toContain('create private zone');
    expect(r.differenceCount).toBe(r.differences.length);
  });

  it('confirmed, it marks exactly the named resources; plan then shows what the dry run showed, apply converges them without a second endpoint, group or zone, teardown deletes them', async () => {
    const w = await open({ timings: FAST });
    const hm = await handMade(w);
    const names = { endpointId: hm.endpointId, securityGroupId: hm.securityGroupId, zoneId: hm.zoneId };
    const dry = await run(w, names, false);
    const mark = w.mark();
    const r = await run(w, names, true);
    expect(r.written).toBe(true);
    expect(writes(w.callsSince(mark)).sort()).toEqual([
      'Ecs.TagResources',
      'Privatelink.TagResources',
      'UpdateRecordRemark',
      'UpdateZoneRemark',
    ]);
    const world = w.emu.world;
    const ep = world.endpoints.get(hm.endpointId)!;
    expect(ep.tags).toEqual(
      expect.arrayContaining([
        { Key: 'zpl:link', Value: id },
        { Key: 'team', Value: 'data' },
      ]),
    );
    expect(ep.tags.find((t) => t.Key === 'zpl:adopted')?.Value).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(world.securityGroups.get(hm.securityGroupId)!.tags).toEqual(expect.arrayContaining([{ Key: 'zpl:link', Value: id }]));
    expect(world.securityGroups.get(hm.otherGroupId)!.tags).toEqual([]);
    const zone = world.zones.get(hm.zoneId)!;
    expect(zone.remark).toBe(`zpl.adopted.${id}`);
    expect(zone.records.map((x) => x.remark)).toEqual([`zpl.adopted.${id}`]);
    // Adopting again finds them the link's and writes nothing.
    const again = w.mark();
    expect((await run(w, names, true)).items.map((i) => i.action)).toEqual(['keep', 'leave', 'keep', 'keep', 'keep']);
    expect(writes(w.callsSince(again))).toEqual([]);

    const plan = await planLink(s, w.deps);
    const changes = plan.items.filter((i) => CHANGES.includes(i.action) || i.action === 'conflict');
    expect(changes).toEqual(dry.differences);

    const state = await w.provisionThrough('Verify', s);
    expect(state.endpointId).toBe(hm.endpointId);
    expect(state.securityGroupId).toBe(hm.securityGroupId);
    expect(state.dnsZoneId).toBe(hm.zoneId);
    expect(shape(w.emu)).toMatchObject({ endpoints: 1, groups: 2, zones: 1, records: 1 });
    const sg = world.securityGroups.get(hm.securityGroupId)!;
    expect(sg.rules.map((x) => `${x.IpProtocol} ${x.PortRange} ${x.SourceCidrIp}`).sort()).toEqual([
      'ICMP -1/-1 10.0.0.0/16',
      'TCP 19530/19530 10.0.0.0/16',
    ]);
    expect(world.securityGroups.get(hm.otherGroupId)!.rules).toHaveLength(1);
    expect(
      world.endpoints
        .get(hm.endpointId)!
        .zones.map((z) => z.zoneId)
        .sort(),
    ).toEqual(['cn-hangzhou-h', 'cn-hangzhou-j']);
    expect(world.endpoints.get(hm.endpointId)!.tags.map((t) => t.Key)).not.toContain('team');
    expect(world.endpoints.get(hm.endpointId)!.tags.map((t) => t.Key)).toContain('zpl:adopted');
    expect(zone.proxyPattern).toBe('RECORD');
    expect(zone.records[0]!.value).toBe(world.privatelink.endpointDomain(world.endpoints.get(hm.endpointId)!));
    expect((await planLink(s, w.deps)).items.filter((i) => CHANGES.includes(i.action))).toEqual([]);

    await w.teardownThrough('DeleteSecurityGroup', s);
    expect(shape(w.emu)).toMatchObject({ endpoints: 0, groups: 1, zones: 0, records: 0 });
    expect(world.securityGroups.has(hm.otherGroupId)).toBe(true);
  });

  it("a zone holding records of the user keeps them through apply and teardown; only the spec cluster's record goes", async () => {
    const w = await open({ timings: FAST });
    const hm = await handMade(w, true);
    await run(w, { endpointId: hm.endpointId, securityGroupId: hm.securityGroupId, zoneId: hm.zoneId }, true);
    await w.provisionThrough('EnsureDns', s);
    await w.teardownThrough('DeleteSecurityGroup', s);
    const zone = w.emu.world.zones.get(hm.zoneId)!;
    expect(zone.records.map((r) => `${r.rr} ${r.value} ${r.remark}`)).toEqual(['grafana 10.0.1.99 by-hand']);
    expect(zone.bindings.map((b) => b.vpcId)).toEqual([DEMO.vpcId]);
  });
});

describe('what adopting refuses (nothing written)', () => {
  const refused = async (w: StepWorld, names: AdoptNames, pattern: RegExp, over: LinkSpec = s) => {
    const before = shape(w.emu);
    const mark = w.mark();
    const r = await run(w, names, true, over);
    expect(r.written).toBe(false);
    expect(r.refusals.join('\n')).toMatch(pattern);
    expect(writes(w.callsSince(mark))).toEqual([]);
    expect(shape(w.emu)).toEqual(before);
    return r;
  };
  const other = seedWith((x) => {
    x.accounts![0]!.vpcs!.push({
      vpcId: OTHER_VPC,
      regionId: 'cn-hangzhou',
      cidrBlock: '172.16.0.0/16',
      vSwitches: [{ vSwitchId: 'vsw-bp1someoneelseh0001', zoneId: 'cn-hangzhou-h', cidrBlock: '172.16.1.0/24' }],
    });
  });

  it('an endpoint in another VPC, and a group in another VPC', async () => {
    const w = await open({ timings: FAST, seed: other });
    const hm = await handMade(w);
    const elsewhere = spec({ vpcId: OTHER_VPC, zones: [{ zoneId: 'cn-hangzhou-h' }] });
    await refused(
      w,
      { endpointId: hm.endpointId, securityGroupId: hm.securityGroupId },
      new RegExp(`endpoint ${hm.endpointId} is in ${DEMO.vpcId}, not in the spec's VPC ${OTHER_VPC}`),
      elsewhere,
    );
    const { SecurityGroupId } = await w.deps.aliyun.securityGroups.create({
      vpcId: OTHER_VPC,
      name: 'elsewhere',
      description: '',
      tags: [],
      clientToken: 'x',
    });
    await refused(
      w,
      { endpointId: hm.endpointId, securityGroupId: SecurityGroupId },
      new RegExp(`security group ${SecurityGroupId} is in ${OTHER_VPC}`),
    );
  });

  it("an endpoint to another service than Zilliz's in the region", async () => {
    const w = await open({ timings: FAST });
    const hm = await handMade(w);
    w.emu.world.endpoints.get(hm.endpointId)!.serviceId = 'epsrv-bp1notzilliz000001';
    w.emu.world.privatelink.services.set('epsrv-bp1notzilliz000001', {
      ...w.emu.world.privatelink.serviceInRegion(DEMO.region)!,
      serviceId: 'epsrv-bp1notzilliz000001',
      serviceName: 'com.aliyuncs.privatelink.cn-hangzhou.epsrv-bp1notzilliz000001',
    });
    await refused(
      w,
      { endpointId: hm.endpointId, securityGroupId: hm.securityGroupId },
      /connects to com\.aliyuncs\.privatelink\.cn-hangzhou\.epsrv-bp1notzilliz000001, not to Zilliz's endpoint service/,
    );
  });

  it('an endpoint or a group another zpl link owns', async () => {
    const w = await open({ timings: FAST });
    const hm = await handMade(w);
    await w.deps.aliyun.privateLink.tagEndpoint(hm.endpointId, [{ Key: 'zpl:link', Value: 'zpl-000000000000' }], 't1');
    await refused(
      w,
      { endpointId: hm.endpointId, securityGroupId: hm.securityGroupId },
      /endpoint ep-\w+ belongs to zpl link zpl-000000000000/,
    );
    await w.deps.aliyun.privateLink.untagEndpoint(hm.endpointId, ['zpl:link'], 't2');
    await w.deps.aliyun.securityGroups.tag(hm.securityGroupId, [{ Key: 'zpl:link', Value: 'zpl-000000000000' }]);
    await refused(
      w,
      { endpointId: hm.endpointId, securityGroupId: hm.securityGroupId },
      /security group sg-\w+ belongs to zpl link zpl-000000000000/,
    );
  });

  it('a group not in the endpoint, none named while the spec gives none, and one named while the spec gives one', async () => {
    const w = await open({ timings: FAST });
    const hm = await handMade(w);
    const { SecurityGroupId: loose } = await w.deps.aliyun.securityGroups.create({
      vpcId: DEMO.vpcId,
      name: 'loose',
      description: '',
      tags: [],
      clientToken: 'l',
    });
    await refused(w, { endpointId: hm.endpointId, securityGroupId: loose }, new RegExp(`security group ${loose} is not one of endpoint`));
    await refused(w, { endpointId: hm.endpointId }, /name one with --security-group to adopt it, or set securityGroupId in the spec/);
    await refused(
      w,
      { endpointId: hm.endpointId, securityGroupId: hm.securityGroupId },
      /leave securityGroupId out of the spec/,
      spec({ securityGroupId: hm.otherGroupId }),
    );
  });

  it('a zone not bound to the VPC, and one of a name the spec does not use', async () => {
    const w = await open({ timings: FAST });
    const hm = await handMade(w);
    const pvtz = w.deps.aliyun.privateZone;
    const { ZoneId: unbound } = await pvtz.addZone(ZONE_NAME, 'RECORD', 'z1');
    await refused(
      w,
      { endpointId: hm.endpointId, securityGroupId: hm.securityGroupId, zoneId: unbound },
      new RegExp(`private zone ${ZONE_NAME} ${unbound} is not bound to ${DEMO.vpcId}`),
    );
    const { ZoneId: elsewhere } = await pvtz.addZone('internal.example.com', 'RECORD', 'z2');
    await pvtz.setBindings(elsewhere, [{ vpcId: DEMO.vpcId, regionId: DEMO.region }], 'z3');
    await refused(
      w,
      { endpointId: hm.endpointId, securityGroupId: hm.securityGroupId, zoneId: elsewhere },
      /private zone internal\.example\.com is not where the spec's records go/,
    );
  });

  it('a spec named group (securityGroupId) in the endpoint: the endpoint is adopted, the group stays as found', async () => {
    const w = await open({ timings: FAST });
    const hm = await handMade(w);
    const given = spec({ securityGroupId: hm.securityGroupId });
    const r = await run(w, { endpointId: hm.endpointId }, true, given);
    expect(r.refusals).toEqual([]);
    expect(r.written).toBe(true);
    expect(w.emu.world.securityGroups.get(hm.securityGroupId)!.tags).toEqual([]);
    expect(r.differences.map((d) => d.resource)).not.toContain('security group rules');
  });
});
