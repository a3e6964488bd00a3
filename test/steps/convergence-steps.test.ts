import { describe, expect, it } from 'vitest';
import { DEMO } from '../../local/emulators/fixtures.ts';
import { applyHandEdit } from '../../local/emulators/hand-edits.ts';
import { ensureEndpoint } from '../../shared/steps/ensure-endpoint.ts';
import { ensureSecurityGroup } from '../../shared/steps/ensure-security-group.ts';
import { callsOf, FAST, seedWith, spec, worlds, writes } from './support.ts';

/** EnsureSecurityGroup and EnsureEndpoint converging on a changed spec, each called on its own against the emulators. */

const open = worlds();
const rulesOf = (w: Awaited<ReturnType<typeof open>>, id: string) =>
  w.emu.world.securityGroups
    .get(id)!
    .rules.map((r) => `${r.IpProtocol} ${r.PortRange} ${r.SourceCidrIp}`)
    .sort();

describe('EnsureSecurityGroup converging', () => {
  it('a group the spec names keeps its extra rules and tags: nothing is revoked or untagged', async () => {
    const seed = seedWith((x) => {
      x.accounts![0]!.securityGroups = [
        { securityGroupId: 'sg-bp1given00000000001', regionId: 'cn-hangzhou', vpcId: DEMO.vpcId, name: 'team' },
      ];
    });
    const w = await open({ seed, timings: FAST });
    const s = spec({ securityGroupId: 'sg-bp1given00000000001' });
    applyHandEdit(w.emu.world, {
      op: 'addRule',
      securityGroupId: 'sg-bp1given00000000001',
      protocol: 'TCP',
      portRange: '22/22',
      sourceCidr: '0.0.0.0/0',
    });
    w.emu.world.securityGroups.get('sg-bp1given00000000001')!.tags = [{ Key: 'owner', Value: 'team' }];
    const state = await w.provisionThrough('CheckService', s);
    const mark = w.mark();
    await w.call(ensureSecurityGroup, s, state, { execution: 'exec-2' });
    expect(w.callsSince(mark)).toEqual([]);
    expect(rulesOf(w, 'sg-bp1given00000000001')).toEqual(['TCP 22/22 0.0.0.0/0']);
    expect(w.emu.world.securityGroups.get('sg-bp1given00000000001')!.tags).toEqual([{ Key: 'owner', Value: 'team' }]);
  });

  it('a rule gone between reading and revoking (InvalidParam.SecurityGroupRuleId) is read again and the rest revoked', async () => {
    const w = await open({ timings: FAST });
    const state = await w.provisionThrough('CheckService', spec());
    const id = (await w.call(ensureSecurityGroup, spec(), state)).state.securityGroupId!;
    w.emu.faults.add({ target: 'RevokeSecurityGroup', kind: 'error', code: 'InvalidParam.SecurityGroupRuleId', httpStatus: 400, count: 1 });
    const narrowed = spec({ allowedCidrs: ['10.0.1.0/24'] });
    const { state: next } = await w.call(ensureSecurityGroup, narrowed, state, { execution: 'exec-2' });
    expect(callsOf(w.emu.calls.calls, 'RevokeSecurityGroup').map((c) => c.code ?? 'ok')).toEqual([
      'InvalidParam.SecurityGroupRuleId',
      'ok',
    ]);
    expect(rulesOf(w, id)).toEqual(['ICMP -1/-1 10.0.1.0/24', 'TCP 19530/19530 10.0.1.0/24']);
    expect(next.changes.filter((c) => c.step === 'EnsureSecurityGroup').map((c) => `${c.action} ${c.resource}: ${c.note}`)).toEqual([
      'updated security group rules: TCP 19530/19530 from 10.0.1.0/24, ICMP -1/-1 from 10.0.1.0/24',
      'revoked security group rules: TCP 19530/19530 from 10.0.0.0/16, ICMP -1/-1 from 10.0.0.0/16',
      'updated security group desired-state tags: zpl:cidrs',
    ]);
  });

  it.each(['RevokeSecurityGroup', 'Ecs.UntagResources', 'Ecs.TagResources'])(
    'a lost reply to %s is retried: the group converges',
    async (action) => {
      const w = await open({ timings: FAST });
      const state = await w.provisionThrough('CheckService', spec({ tags: { team: 'search' } }));
      const id = (await w.call(ensureSecurityGroup, spec({ tags: { team: 'search' } }), state)).state.securityGroupId!;
      w.emu.faults.add({ target: action, kind: 'lostReply', count: 1 });
      const changed = spec({ allowedCidrs: ['10.0.1.0/24'], tags: { owner: 'db' } });
      await w.call(ensureSecurityGroup, changed, state, { execution: 'exec-2' });
      expect(callsOf(w.emu.calls.calls, action)[0]!.fault).toBe('lostReply');
      expect(rulesOf(w, id)).toEqual(['ICMP -1/-1 10.0.1.0/24', 'TCP 19530/19530 10.0.1.0/24']);
      const tags = Object.fromEntries(w.emu.world.securityGroups.get(id)!.tags.map((t) => [t.Key, t.Value]));
      expect([tags.owner, tags.team, tags['zpl:cidrs']]).toEqual(['db', undefined, '10.0.1.0/24']);
    },
  );

  it('untags before it tags: ECS refuses a 21st tag (OperationDenied.QuotaExceed), so tagging first would fail where converging succeeds', async () => {
    const w = await open({ timings: FAST });
    const ten = (p: string) => Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`${p}${i}`, 'v']));
    const state = await w.provisionThrough('CheckService', spec({ tags: ten('a') }));
    const id = (await w.call(ensureSecurityGroup, spec({ tags: ten('a') }), state)).state.securityGroupId!;
    expect(w.emu.world.securityGroups.get(id)!.tags).toHaveLength(16);
    // The old order: the new tags first.
    await expect(
      w.deps.aliyun.securityGroups.tag(
        id,
        Object.entries(ten('b')).map(([Key, Value]) => ({ Key, Value })),
      ),
    ).rejects.toMatchObject({ code: 'OperationDenied.QuotaExceed', httpStatus: 400 });
    const mark = w.mark();
    await w.call(ensureSecurityGroup, spec({ tags: ten('b') }), state, { execution: 'exec-2' });
    expect(writes(w.callsSince(mark))).toEqual(['Ecs.UntagResources', 'Ecs.TagResources']);
    expect(
      w.emu.world.securityGroups
        .get(id)!
        .tags.filter((t) => !t.Key.startsWith('zpl:'))
        .map((t) => t.Key)
        .sort(),
    ).toEqual(Object.keys(ten('b')).sort());
  });

  it('a link provisioned again after a teardown CloudFlow no longer lists (lifetime back at 0): the stale answer is noticed, one new group', async () => {
    const w = await open({ timings: FAST });
    const s = spec();
    await w.provisionThrough('EnsureSecurityGroup', s, { lifetime: 0 });
    await w.teardownThrough('DeleteSecurityGroup', s);
    expect(w.emu.world.securityGroups.size).toBe(0);
    const mark = w.mark();
    const { securityGroupId } = await w.provisionThrough('EnsureSecurityGroup', s, { lifetime: 0, execution: 'exec-2' });
    const creates = callsOf(w.callsSince(mark), 'CreateSecurityGroup');
    // The lifetime's token answers with the deleted group; this run's own token creates the new one.
    expect(creates).toHaveLength(2);
    expect(creates[0]!.params?.ClientToken).not.toBe(creates[1]!.params?.ClientToken);
    expect([...w.emu.world.securityGroups.keys()]).toEqual([securityGroupId]);
    // Told the right lifetime, one create.
    await w.teardownThrough('DeleteSecurityGroup', s);
    const again = w.mark();
    await w.provisionThrough('EnsureSecurityGroup', s, { lifetime: 2, execution: 'exec-3' });
    expect(callsOf(w.callsSince(again), 'CreateSecurityGroup')).toHaveLength(1);
  });
});

describe('EnsureEndpoint converging', () => {
  const VSW_K = 'vsw-bp1demok000000000001';
  const withK = () =>
    seedWith((x) => x.accounts![0]!.vpcs![0]!.vSwitches!.push({ vSwitchId: VSW_K, zoneId: 'cn-hangzhou-k', cidrBlock: '10.0.3.0/24' }));

  it("a stale spill tag (zpl:clusters-2 of a longer list) and a dropped user tag are untagged; EnsureDns's zpl:bound stays", async () => {
    const w = await open({ timings: FAST });
    const s = spec({ tags: { team: 'search' } });
    const state = await w.provisionThrough('EnsureSecurityGroup', s);
    const id = (await w.call(ensureEndpoint, s, state)).state.endpointId!;
    const ep = w.emu.world.endpoints.get(id)!;
    ep.tags.push({ Key: 'zpl:clusters-2', Value: DEMO.secondClusterId }, { Key: 'zpl:bound', Value: 'f'.repeat(32) });
    const mark = w.mark();
    const { state: next } = await w.call(ensureEndpoint, spec(), state, { execution: 'exec-2' });
    expect(writes(w.callsSince(mark))).toEqual(['Privatelink.UntagResources']);
    expect(callsOf(w.callsSince(mark), 'Privatelink.UntagResources')[0]!.params?.TagKey).toEqual(['team', 'zpl:clusters-2']);
    expect(ep.tags.map((t) => t.Key)).toContain('zpl:bound');
    expect(ep.tags.map((t) => t.Key)).not.toContain('zpl:clusters-2');
    expect(next.changes.at(-1)).toMatchObject({ action: 'untagged', resource: 'endpoint tags', note: 'team, zpl:clusters-2' });
  });

  it('TagInfoNotExist (meaning undocumented) makes it read the tags again and untag what is still there', async () => {
    const w = await open({ timings: FAST });
    const state = await w.provisionThrough('EnsureSecurityGroup', spec({ tags: { team: 'search' } }));
    const id = (await w.call(ensureEndpoint, spec({ tags: { team: 'search' } }), state)).state.endpointId!;
    w.emu.faults.add({ target: 'Privatelink.UntagResources', kind: 'error', code: 'TagInfoNotExist', httpStatus: 400, count: 1 });
    await w.call(ensureEndpoint, spec(), state, { execution: 'exec-2' });
    expect(callsOf(w.emu.calls.calls, 'Privatelink.UntagResources').map((c) => c.code ?? 'ok')).toEqual(['TagInfoNotExist', 'ok']);
    expect(w.emu.world.endpoints.get(id)!.tags.map((t) => t.Key)).not.toContain('team');
  });

  it('a zone dropped from the spec is removed once the others are there, with its address named', async () => {
    const w = await open({ seed: withK(), timings: FAST });
    const three = spec({ zones: [{ zoneId: 'cn-hangzhou-h' }, { zoneId: 'cn-hangzhou-j' }, { zoneId: 'cn-hangzhou-k' }] });
    const state = await w.provisionThrough('EnsureSecurityGroup', three);
    const id = (await w.call(ensureEndpoint, three, state)).state.endpointId!;
    w.emu.clock.advance(60_000);
    const eni = w.emu.world.endpoints.get(id)!.zones.find((z) => z.zoneId === 'cn-hangzhou-k')!.eniIp;
    const two = { ...state, zones: state.zones!.filter((z) => z.zoneId !== 'cn-hangzhou-k') };
    const mark = w.mark();
    const { state: next } = await w.call(ensureEndpoint, spec(), two, { execution: 'exec-2' });
    expect(callsOf(w.callsSince(mark), 'RemoveZoneFromVpcEndpoint').map((c) => c.params?.ZoneId)).toEqual(['cn-hangzhou-k']);
    expect(next.changes.at(-1)).toMatchObject({
      action: 'removed',
      resource: 'endpoint zones',
      note: `removed cn-hangzhou-k (ENI ${eni} released)`,
    });
  });

  it('while the endpoint is not Active, zone changes are left for the next run and said so', async () => {
    const w = await open({ seed: withK(), timings: FAST });
    const three = spec({ zones: [{ zoneId: 'cn-hangzhou-h' }, { zoneId: 'cn-hangzhou-j' }, { zoneId: 'cn-hangzhou-k' }] });
    const state = await w.provisionThrough('EnsureSecurityGroup', three);
    const id = (await w.call(ensureEndpoint, three, state)).state.endpointId!;
    applyHandEdit(w.emu.world, { op: 'lockEndpoint', endpointId: id, forMs: 3_600_000 });
    const two = { ...state, zones: state.zones!.filter((z) => z.zoneId !== 'cn-hangzhou-k') };
    const mark = w.mark();
    const { state: next } = await w.call(ensureEndpoint, spec(), two, { execution: 'exec-2' });
    expect(callsOf(w.callsSince(mark), 'RemoveZoneFromVpcEndpoint')).toEqual([]);
    expect(next.changes.at(-1)).toMatchObject({
      action: 'kept',
      resource: 'endpoint zones',
      note: 'removing cn-hangzhou-k left for the next run (the endpoint is Pending)',
    });
    expect(w.emu.world.endpoints.get(id)!.zones).toHaveLength(3);
  });
});
