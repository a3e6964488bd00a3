import { describe, expect, it } from 'vitest';
import { DEMO } from '../../local/emulators/fixtures.ts';
import { applyHandEdit } from '../../local/emulators/hand-edits.ts';
import { linkId } from '../../shared/derived.ts';
import { parseLinkSpec } from '../../shared/spec.ts';
import type { FcContext } from '../../shared/fc-context.ts';
import { allowlist } from '../../shared/steps/allowlist.ts';
import { checkConnection } from '../../shared/steps/check-connection.ts';
import { checkEndpoint } from '../../shared/steps/check-endpoint.ts';
import { checkService } from '../../shared/steps/check-service.ts';
import { deleteEndpoint } from '../../shared/steps/delete-endpoint.ts';
import { deleteSecurityGroup } from '../../shared/steps/delete-security-group.ts';
import { deregisterEndpoint } from '../../shared/steps/deregister-endpoint.ts';
import { ensureDns } from '../../shared/steps/ensure-dns.ts';
import { ensureEndpoint } from '../../shared/steps/ensure-endpoint.ts';
import { ensureSecurityGroup } from '../../shared/steps/ensure-security-group.ts';
import { stepHandler, type StepReply } from '../../shared/steps/handler.ts';
import { step } from '../../shared/steps/index.ts';
import { registerEndpoint } from '../../shared/steps/register-endpoint.ts';
import { removeDns } from '../../shared/steps/remove-dns.ts';
import { validate } from '../../shared/steps/validate.ts';
import { verify } from '../../shared/steps/verify.ts';
import { demoSpec } from '../support/provision.ts';
import { actions, callsOf, failure, FAST, iso, OTHER_VPC, seedWith, spec, start, worlds, writes } from './support.ts';

/** Validate through CheckEndpoint, each step called on its own against the emulators. */

const open = worlds();
const SERVICE_NAME = 'com.aliyuncs.privatelink.cn-hangzhou.epsrv-bp1zillizhz0000001';
const SERVICE_ID = 'epsrv-bp1zillizhz0000001';
const VSW_H = 'vsw-bp1demoh000000000001';
const VSW_J = 'vsw-bp1demoj000000000001';
const VSW_K = 'vsw-bp1demok000000000001';
/** Validate's problems, one per entry. */
const problems = (message: string) => message.split(/; (?=zone |cluster |VPC |security group |the clusters |Zilliz offers )/).sort();

describe('Validate', () => {
  it('reads the VPC, its vSwitches, the clusters and the endpoint service, and changes nothing', async () => {
    const w = await open();
    const s = spec();
    const { state, wait } = await w.call(validate, s, start(s));
    expect(wait).toBeUndefined();
    expect(state).toEqual({
      linkId: linkId(s),
      changes: [],
      serviceName: SERVICE_NAME,
      vpcCidrs: ['10.0.0.0/16'],
      zones: [
        { zoneId: 'cn-hangzhou-h', vSwitchId: VSW_H },
        { zoneId: 'cn-hangzhou-j', vSwitchId: VSW_J },
      ],
      port: 19530,
    });
    expect(writes(w.emu.calls.calls)).toEqual([]);
    // ListVpcEndpointServicesByEndUser: the endpoint service's own Zones decide, once it is visible.
    // CheckProductOpen, DescribeUserServiceStatus: PrivateLink and PrivateZone are activated.
    // GetCallerIdentity: the credentials are the spec's account's.
    expect(new Set(actions(w.emu.calls.calls))).toEqual(
      new Set([
        'GetCallerIdentity',
        'CheckProductOpen',
        'DescribeUserServiceStatus',
        'endpointServices',
        'ListVpcEndpointServicesByEndUser',
        'DescribeVpcAttribute',
        'DescribeVSwitches',
        'describeCluster',
      ]),
    );
  });

  it('picks the vSwitch with the most free addresses in a zone, and keeps one the spec names', async () => {
    const seed = seedWith((x) => {
      x.accounts![0]!.vpcs![0]!.vSwitches!.push({
        vSwitchId: 'vsw-bp1demoh000000000002',
        zoneId: 'cn-hangzhou-h',
        cidrBlock: '10.0.3.0/24',
        availableIps: 1000,
      });
    });
    const w = await open({ seed });
    const picked = spec({ zones: [{ zoneId: 'cn-hangzhou-h' }] });
    expect((await w.call(validate, picked, start(picked))).state.zones).toEqual([
      { zoneId: 'cn-hangzhou-h', vSwitchId: 'vsw-bp1demoh000000000002' },
    ]);
    const named = spec({ zones: [{ zoneId: 'cn-hangzhou-h', vSwitchId: VSW_H }] });
    expect((await w.call(validate, named, start(named))).state.zones).toEqual([{ zoneId: 'cn-hangzhou-h', vSwitchId: VSW_H }]);
  });

  it('lists every zone problem at once: a vSwitch in another zone, a zone without vSwitch, a zone Zilliz does not serve', async () => {
    const w = await open({ timings: FAST });
    // The service must be visible to know what it serves: its Zones are the authority, not the guide's list.
    w.emu.world.allowlist(DEMO.projectId, 'ali-cn-hangzhou', DEMO.accountId);
    const s = spec({ zones: [{ zoneId: 'cn-hangzhou-h', vSwitchId: VSW_J }, { zoneId: 'cn-hangzhou-k' }, { zoneId: 'cn-hangzhou-b' }] });
    const failed = await failure(w.call(validate, s, start(s)), 'Validate');
    expect(failed.code).toBe('Spec.CannotWork');
    expect(problems(failed.message)).toEqual(
      [
        `zone cn-hangzhou-h: vSwitch ${VSW_J} is in cn-hangzhou-j, not cn-hangzhou-h`,
        `zone cn-hangzhou-k: VPC ${DEMO.vpcId} has no vSwitch there; create one or name it in zones[].vSwitchId`,
        `zone cn-hangzhou-b: Zilliz's endpoint service in cn-hangzhou does not serve it (it serves cn-hangzhou-h, cn-hangzhou-j, cn-hangzhou-k)`,
      ].sort(),
    );
    expect(writes(w.emu.calls.calls)).toEqual([]);
  });

  it('refuses a cluster in another region, of another project, on a serverless plan, or unknown', async () => {
    const otherProject = 'proj-00000000000000000000bbbb';
    const seed = seedWith((x) => {
      const z = x.zilliz!;
      z.apiKeys![0]!.projectIds.push(otherProject);
      z.projects![0]!.clusters!.push(
        { clusterId: 'in01-00000000000000bb', regionId: 'ali-cn-beijing' },
        { clusterId: 'in01-00000000000000dd', regionId: 'ali-cn-hangzhou', plan: 'Serverless' },
      );
      z.projects!.push({ projectId: otherProject, clusters: [{ clusterId: 'in01-00000000000000cc', regionId: 'ali-cn-hangzhou' }] });
    });
    const w = await open({ seed });
    const s = spec({
      clusters: [DEMO.clusterId, 'in01-00000000000000bb', 'in01-00000000000000cc', 'in01-00000000000000dd', 'in01-00000000000000ff'],
    });
    const failed = await failure(w.call(validate, s, start(s)), 'Validate');
    expect(failed.code).toBe('Spec.CannotWork');
    const listed = problems(failed.message);
    expect(listed).toHaveLength(4);
    expect(listed).toEqual(
      expect.arrayContaining([
        'cluster in01-00000000000000bb is in ali-cn-beijing, not ali-cn-hangzhou',
        `cluster in01-00000000000000cc belongs to project ${otherProject}, not ${DEMO.projectId}`,
        'cluster in01-00000000000000dd is a Serverless cluster; private link needs a Dedicated cluster',
        expect.stringMatching(/^cluster in01-00000000000000ff: Zilliz describeCluster failed: 96018: The specified cluster does not exist/),
      ]),
    );
  });

  it('clusters on different ports need a port in the spec; once given, it is used', async () => {
    const seed = seedWith((x) => {
      x.zilliz!.projects![0]!.clusters!.push({ clusterId: 'in01-00000000000000ee', regionId: 'ali-cn-hangzhou', port: 19531 });
    });
    const w = await open({ seed, timings: FAST });
    const mixed = spec({ clusters: [DEMO.clusterId, 'in01-00000000000000ee'] });
    // Setup changed: the ports come from the private-link addresses, which Zilliz assigns only once
    // a link of the project's region is connected ("" before, so both read as 19530).
    expect((await w.call(validate, mixed, start(mixed))).state.port).toBe(19530);
    await w.provisionThrough('CheckConnection');
    const failed = await failure(w.call(validate, mixed, start(mixed)), 'Validate');
    expect(failed.code).toBe('Spec.CannotWork');
    expect(failed.message).toMatch(/^the clusters listen on different ports \((19530, 19531|19531, 19530)\); set port in the spec$/);
    const given = spec({ clusters: [DEMO.clusterId, 'in01-00000000000000ee'], port: 19531 });
    expect((await w.call(validate, given, start(given))).state.port).toBe(19531);
  });

  it('refuses a VPC that does not exist, and a given security group of another VPC', async () => {
    const seed = seedWith((x) => {
      x.accounts![0]!.vpcs!.push({ vpcId: OTHER_VPC, regionId: 'cn-hangzhou', cidrBlock: '172.16.0.0/16', vSwitches: [] });
      x.accounts![0]!.securityGroups = [{ securityGroupId: 'sg-bp1other000000000001', regionId: 'cn-hangzhou', vpcId: OTHER_VPC }];
    });
    const w = await open({ seed });
    const noVpc = spec({ vpcId: 'vpc-bp1doesnotexist00001' });
    expect(problems((await failure(w.call(validate, noVpc, start(noVpc)))).message)).toEqual([
      'VPC vpc-bp1doesnotexist00001 does not exist in cn-hangzhou for this account',
    ]);
    const foreignGroup = spec({ securityGroupId: 'sg-bp1other000000000001' });
    expect(problems((await failure(w.call(validate, foreignGroup, start(foreignGroup)))).message)).toEqual([
      `security group sg-bp1other000000000001 is in ${OTHER_VPC}, not ${DEMO.vpcId}`,
    ]);
  });

  it('the function handler turns a spec that does not parse into Spec.Invalid with the field errors, before any call', async () => {
    const w = await open();
    const handler = stepHandler(step('Validate'), validate);
    // The body as the flow sends it: the execution's input as the starter gave it.
    const result = (await handler(
      Buffer.from(JSON.stringify({ input: { spec: demoSpec({ accountId: 12, zones: [] }) }, execution: 'x' })),
      {} as FcContext,
    )) as StepReply;
    expect(result.outcome).toBe('failed');
    expect(result.wait).toBeNull();
    expect(result.failed).toEqual({
      step: 'Validate',
      code: 'Spec.Invalid',
      message: expect.stringMatching(/^accountId: .*; zones: name at least one zone/),
    });
    expect(result.state).toEqual({ linkId: 'unknown', changes: [] });
    expect(w.emu.calls.calls).toEqual([]);
  });

  it('retries a transient Zilliz error inside the step, backing off on the step clock', async () => {
    const w = await open();
    w.emu.faults.add({ target: 'describeCluster', kind: 'error', count: 1, httpStatus: 503 });
    const s = spec();
    const before = w.emu.clock.now();
    const { state } = await w.call(validate, s, start(s));
    expect(state.port).toBe(19530);
    expect(callsOf(w.emu.calls.calls, 'describeCluster').map((c) => c.ok)).toEqual([false, true]);
    // DEFAULT_RETRY: the first back-off is 100–200 ms, slept on the emulated clock.
    expect(w.emu.clock.now() - before).toBeGreaterThanOrEqual(100);
    expect(w.emu.clock.now() - before).toBeLessThanOrEqual(200);
  });
});

describe('Allowlist', () => {
  it('allowlists the main account for the project and region; the service turns visible later; repeating it is safe', async () => {
    const w = await open();
    const s = spec();
    const state = await w.provisionThrough('Validate', s);
    const now = w.emu.clock.now();
    const first = await w.call(allowlist, s, state);
    expect(first.state.changes).toEqual([
      { step: 'Allowlist', action: 'allowlisted', resource: 'account', id: DEMO.accountId, note: `with Zilliz for ${DEMO.projectId}` },
    ]);
    expect([...w.emu.world.zilliz.allowlist]).toEqual([`${DEMO.projectId}|ali-cn-hangzhou|${DEMO.accountId}`]);
    expect(w.emu.world.privatelink.serviceInRegion('cn-hangzhou')!.visibleTo.get(DEMO.accountId)).toBe(now + 60_000);
    // Again (a retry within the run): one entry, the change listed once, visibility not pushed back.
    w.emu.clock.advance(30_000);
    const second = await w.call(allowlist, s, first.state);
    expect(second.state.changes).toEqual(first.state.changes);
    expect(w.emu.world.zilliz.allowlist.size).toBe(1);
    expect(w.emu.world.privatelink.serviceInRegion('cn-hangzhou')!.visibleTo.get(DEMO.accountId)).toBe(now + 60_000);
    expect(callsOf(w.emu.calls.calls, 'allowlistAccount').map((c) => c.ok)).toEqual([true, true]);
  });

  it('an "already allowlisted" answer from Zilliz counts as success', async () => {
    const w = await open();
    w.emu.faults.add({
      target: 'allowlistAccount',
      kind: 'error',
      count: 1,
      code: '96040',
      httpStatus: 200,
      message: 'The account is already in the whitelist.',
    });
    const s = spec();
    const result = await w.call(allowlist, s, start(s));
    expect(result.state.changes.map((c) => c.action)).toEqual(['allowlisted']);
    expect(callsOf(w.emu.calls.calls, 'allowlistAccount')).toHaveLength(1);
  });

  it("a project the API key cannot reach fails with Zilliz's code", async () => {
    const w = await open();
    const s = spec({ projectId: 'proj-0000aaaa0000aaaa' });
    const failed = await failure(w.call(allowlist, s, start(s)), 'Allowlist');
    expect(failed).toEqual({
      step: 'Allowlist',
      code: 'Zilliz.96012',
      message: expect.stringContaining("You don't have permission for this project."),
    });
    expect(w.emu.world.zilliz.allowlist.size).toBe(0);
  });
});

describe('CheckService (a wait step)', () => {
  it('lingers up to 55 s in the step, then hands the wait to the flow, its deadline counted from the first poll', async () => {
    const w = await open();
    const s = spec();
    const state = await w.provisionThrough('Allowlist', s);
    const t0 = w.emu.clock.now();
    const mark = w.mark();
    const { state: next, wait } = await w.call(checkService, s, state);
    expect(w.emu.clock.now() - t0).toBe(55_000);
    expect(wait).toEqual({
      ready: false,
      nextPollSeconds: 6,
      deadline: iso(t0 + 3600_000),
      waitingFor: `Zilliz's endpoint service to become visible to account ${DEMO.accountId}`,
    });
    expect(next.waits).toEqual({ service: { since: t0, polls: 1 } });
    expect(next.serviceId).toBeUndefined();
    const polls = callsOf(w.callsSince(mark), 'ListVpcEndpointServicesByEndUser');
    expect(polls).toHaveLength(12);
    expect(polls.every((c) => c.params?.ServiceName === SERVICE_NAME && c.params?.MaxResults === 50)).toBe(true);
  });

  it('a later poll does not linger again nor move the deadline; once visible it records the service ID and ends the wait', async () => {
    const w = await open();
    const s = spec();
    const t0 = w.emu.clock.now();
    const first = await w.call(checkService, s, await w.provisionThrough('Allowlist', s));
    const mark = w.mark();
    const at = w.emu.clock.now();
    const second = await w.call(checkService, s, first.state);
    expect(w.emu.clock.now()).toBe(at);
    expect(callsOf(w.callsSince(mark), 'ListVpcEndpointServicesByEndUser')).toHaveLength(1);
    expect(second.wait).toMatchObject({ ready: false, deadline: first.wait!.deadline });
    expect(second.state.waits).toEqual({ service: { since: t0, polls: 2 } });
    w.emu.clock.advance(5_000);
    const third = await w.call(checkService, s, second.state);
    expect(third.wait).toMatchObject({ ready: true });
    expect(third.state.serviceId).toBe(SERVICE_ID);
    expect(third.state.waits).toEqual({});
  });

  it('a service that turns visible within the linger is seen in one invocation', async () => {
    const w = await open({ timings: { serviceVisibleMs: 20_000 } });
    const s = spec();
    const state = await w.provisionThrough('Allowlist', s);
    const t0 = w.emu.clock.now();
    const { state: next, wait } = await w.call(checkService, s, state);
    expect(wait?.ready).toBe(true);
    expect(next.serviceId).toBe(SERVICE_ID);
    expect(w.emu.clock.now() - t0).toBe(20_000);
  });

  it('past its deadline: Wait.ServiceNotVisible, saying what to check', async () => {
    const w = await open();
    const s = spec({ deadlines: { serviceVisibleSeconds: 60 } });
    // Never allowlisted: the service never shows.
    const state = await w.provisionThrough('Validate', s);
    const t0 = w.emu.clock.now();
    const first = await w.call(checkService, s, state);
    expect(first.wait).toMatchObject({ ready: false, nextPollSeconds: 5, deadline: iso(t0 + 60_000) });
    w.emu.clock.advance(5_000);
    expect(await failure(w.call(checkService, s, first.state), 'CheckService')).toEqual({
      step: 'CheckService',
      code: 'Wait.ServiceNotVisible',
      message: `Zilliz's endpoint service ${SERVICE_NAME} did not become visible to account ${DEMO.accountId} within 60s; check that the account is allowlisted for project ${DEMO.projectId} in ali-cn-hangzhou`,
    });
  });

  it('a service that does not serve a zone of the spec: Service.ZoneNotSupported', async () => {
    const seed = seedWith((x) => {
      x.zilliz!.endpointServices![0]!.zones = ['cn-hangzhou-h', 'cn-hangzhou-k'];
    });
    const w = await open({ seed, timings: FAST });
    const s = spec();
    const failed = await failure(w.call(checkService, s, await w.provisionThrough('Allowlist', s)), 'CheckService');
    expect(failed).toMatchObject({
      code: 'Service.ZoneNotSupported',
      message: "Zilliz's endpoint service does not serve cn-hangzhou-j (it serves cn-hangzhou-h, cn-hangzhou-k)",
    });
  });
});

describe('EnsureSecurityGroup', () => {
  it('creates one group in the VPC, tagged as ours, with TCP to the cluster port and ICMP from the VPC CIDR', async () => {
    const w = await open({ timings: FAST });
    const s = spec();
    const state = await w.provisionThrough('CheckService', s);
    const mark = w.mark();
    const { state: next } = await w.call(ensureSecurityGroup, s, state);
    const id = next.securityGroupId!;
    const sg = w.emu.world.securityGroups.get(id)!;
    expect(sg).toMatchObject({ vpcId: DEMO.vpcId, name: `${linkId(s)}-zilliz` });
    expect(sg.tags).toEqual(
      expect.arrayContaining([
        { Key: 'zpl:link', Value: linkId(s) },
        { Key: 'zpl:managed-by', Value: 'zilliz-privatelink' },
        { Key: 'zpl:zones', Value: 'cn-hangzhou-h,cn-hangzhou-j' },
        { Key: 'zpl:cidrs', Value: '10.0.0.0/16' },
        { Key: 'zpl:port', Value: '19530' },
        { Key: 'zpl:icmp', Value: 'true' },
      ]),
    );
    expect(sg.rules.map((r) => `${r.IpProtocol} ${r.PortRange} ${r.SourceCidrIp}`).sort()).toEqual([
      'ICMP -1/-1 10.0.0.0/16',
      'TCP 19530/19530 10.0.0.0/16',
    ]);
    const calls = w.callsSince(mark);
    expect(writes(calls)).toEqual(['CreateSecurityGroup', 'AuthorizeSecurityGroup']);
    expect(String(callsOf(calls, 'CreateSecurityGroup')[0]!.params?.ClientToken)).toMatch(new RegExp(`^${linkId(s)}-sg-[0-9a-f]{16}$`));
    expect(next.changes.filter((c) => c.step === 'EnsureSecurityGroup').map((c) => `${c.action} ${c.resource}`)).toEqual([
      'created security group',
      'updated security group rules',
    ]);
  });

  it('a later run finds the group by its tag: the same ID, nothing written, unchanged', async () => {
    const w = await open({ timings: FAST });
    const s = spec();
    const state = await w.provisionThrough('CheckService', s);
    const first = await w.call(ensureSecurityGroup, s, state);
    const mark = w.mark();
    // A later run reaches this step with the state its earlier steps made: no security group yet.
    const second = await w.call(ensureSecurityGroup, s, state, { execution: 'exec-2' });
    expect(second.state.securityGroupId).toBe(first.state.securityGroupId);
    expect(writes(w.callsSince(mark))).toEqual([]);
    expect(second.state.changes.at(-1)).toEqual({
      step: 'EnsureSecurityGroup',
      action: 'unchanged',
      resource: 'security group',
      id: first.state.securityGroupId,
    });
    expect(w.emu.world.securityGroups.size).toBe(1);
  });

  it('a group named in the spec is used as found: nothing created, no rule added', async () => {
    const seed = seedWith((x) => {
      x.accounts![0]!.securityGroups = [
        { securityGroupId: 'sg-bp1given00000000001', regionId: 'cn-hangzhou', vpcId: DEMO.vpcId, name: 'team-sg' },
      ];
    });
    const w = await open({ seed, timings: FAST });
    const s = spec({ securityGroupId: 'sg-bp1given00000000001' });
    const state = await w.provisionThrough('CheckService', s);
    const mark = w.mark();
    const { state: next } = await w.call(ensureSecurityGroup, s, state);
    expect(next.securityGroupId).toBe('sg-bp1given00000000001');
    expect(next.changes.at(-1)).toEqual({
      step: 'EnsureSecurityGroup',
      action: 'reused',
      resource: 'security group',
      id: 'sg-bp1given00000000001',
      note: 'given in the spec; left as found',
    });
    expect(w.callsSince(mark)).toEqual([]);
    expect(w.emu.world.securityGroups.get('sg-bp1given00000000001')!.rules).toEqual([]);
  });

  it('allowedCidrs and icmp: false shape the rules and the recorded desired state', async () => {
    const w = await open({ timings: FAST });
    const s = spec({ allowedCidrs: ['10.0.1.0/24', '172.16.0.0/12'], icmp: false });
    const { state } = await w.call(ensureSecurityGroup, s, await w.provisionThrough('CheckService', s));
    const sg = w.emu.world.securityGroups.get(state.securityGroupId!)!;
    expect(sg.rules.map((r) => `${r.IpProtocol} ${r.PortRange} ${r.SourceCidrIp}`).sort()).toEqual([
      'TCP 19530/19530 10.0.1.0/24',
      'TCP 19530/19530 172.16.0.0/12',
    ]);
    expect(sg.tags).toEqual(
      expect.arrayContaining([
        { Key: 'zpl:cidrs', Value: '10.0.1.0/24,172.16.0.0/12' },
        { Key: 'zpl:icmp', Value: 'false' },
      ]),
    );
  });

  it('more than 100 rules go in calls of at most 100 permissions, each with its own ClientToken and no legacy fields', async () => {
    const w = await open({ timings: FAST });
    const cidrs = Array.from({ length: 60 }, (_, i) => `10.${i}.0.0/16`);
    const s = spec({ allowedCidrs: cidrs }); // TCP and ICMP from each: 120 rules
    const state = await w.provisionThrough('CheckService', s);
    const mark = w.mark();
    const { state: next } = await w.call(ensureSecurityGroup, s, state);
    const authorize = callsOf(w.callsSince(mark), 'AuthorizeSecurityGroup');
    expect(authorize.map((c) => [c.ok, (c.params?.Permissions as unknown[]).length])).toEqual([
      [true, 100],
      [true, 20],
    ]);
    expect(new Set(authorize.map((c) => c.params?.ClientToken)).size).toBe(2);
    for (const c of authorize) expect(c.params?.IpProtocol ?? c.params?.SourceCidrIp ?? c.params?.PortRange).toBeUndefined();
    expect(w.emu.world.securityGroups.get(next.securityGroupId!)!.rules).toHaveLength(120);
  });

  it('a spec repeating a CIDR block is refused before anything is created (the old spec let the call fail after the group existed)', async () => {
    const w = await open({ timings: FAST });
    const raw = demoSpec({ allowedCidrs: ['10.0.1.0/24', '172.16.0.0/12', '10.0.1.0/24'] });
    expect(parseLinkSpec(raw)).toMatchObject({ ok: false, errors: [{ field: 'allowedCidrs' }] });
    // The same rules sent as one call are what ECS refuses: InvalidParam.DuplicatePermissions.
    const { SecurityGroupId } = await w.deps.aliyun.securityGroups.create({
      vpcId: DEMO.vpcId,
      name: 'zpl-dup',
      description: 'duplicate rules',
      tags: [],
      clientToken: 'dup-1',
    });
    const rule = {
      IpProtocol: 'TCP',
      PortRange: '19530/19530',
      SourceCidrIp: '10.0.1.0/24',
      Policy: 'accept',
      Priority: '1',
      NicType: 'intranet',
    };
    await expect(
      w.deps.aliyun.transport.call('Ecs', 'AuthorizeSecurityGroup', DEMO.region, {
        RegionId: DEMO.region,
        SecurityGroupId,
        Permissions: [rule, rule],
      }),
    ).rejects.toMatchObject({
      code: 'InvalidParam.DuplicatePermissions',
      httpStatus: 400,
    });
  });

  it('a rule revoked by hand is added back, and only that rule', async () => {
    const w = await open({ timings: FAST });
    const s = spec();
    const state = await w.provisionThrough('CheckService', s);
    const id = (await w.call(ensureSecurityGroup, s, state)).state.securityGroupId!;
    applyHandEdit(w.emu.world, { op: 'revokeRule', securityGroupId: id, protocol: 'ICMP', sourceCidr: '10.0.0.0/16' });
    const mark = w.mark();
    const second = await w.call(ensureSecurityGroup, s, state, { execution: 'exec-2' });
    const authorize = callsOf(w.callsSince(mark), 'AuthorizeSecurityGroup');
    expect(authorize).toHaveLength(1);
    expect(authorize[0]!.params?.Permissions).toEqual([
      expect.objectContaining({ IpProtocol: 'ICMP', PortRange: '-1/-1', SourceCidrIp: '10.0.0.0/16' }),
    ]);
    expect(second.state.changes.at(-1)).toMatchObject({
      action: 'updated',
      resource: 'security group rules',
      id,
      note: 'ICMP -1/-1 from 10.0.0.0/16',
    });
    expect(w.emu.world.securityGroups.get(id)!.rules).toHaveLength(2);
  });

  it('a lost reply to CreateSecurityGroup is retried with the same ClientToken: one group', async () => {
    const w = await open({ timings: FAST });
    const s = spec();
    const state = await w.provisionThrough('CheckService', s);
    w.emu.faults.add({ target: 'CreateSecurityGroup', kind: 'lostReply', count: 1 });
    const { state: next } = await w.call(ensureSecurityGroup, s, state);
    const creates = callsOf(w.emu.calls.calls, 'CreateSecurityGroup');
    expect(creates.map((c) => c.fault)).toEqual(['lostReply', undefined]);
    expect(creates[1]!.params?.ClientToken).toBe(creates[0]!.params?.ClientToken);
    expect([...w.emu.world.securityGroups.keys()]).toEqual([next.securityGroupId]);
  });
});

describe('EnsureEndpoint', () => {
  it('creates the endpoint in the chosen vSwitches, with the group, ownership and desired-state tags and a ClientToken', async () => {
    const w = await open();
    const s = spec();
    const state = await w.provisionThrough('EnsureSecurityGroup', s);
    const mark = w.mark();
    const { state: next } = await w.call(ensureEndpoint, s, state);
    const ep = w.emu.world.endpoints.get(next.endpointId!)!;
    expect(ep).toMatchObject({
      vpcId: DEMO.vpcId,
      serviceId: SERVICE_ID,
      securityGroupIds: [state.securityGroupId],
      name: `${linkId(s)}-zilliz`,
    });
    expect(ep.zones.map((z) => ({ zoneId: z.zoneId, vSwitchId: z.vSwitchId }))).toEqual(state.zones);
    expect(ep.tags).toEqual(
      expect.arrayContaining([
        { Key: 'zpl:link', Value: linkId(s) },
        { Key: 'zpl:project', Value: DEMO.projectId },
        { Key: 'zpl:clusters', Value: DEMO.clusterId },
        { Key: 'zpl:dns', Value: 'region-zone' },
        { Key: 'zpl:zones', Value: 'cn-hangzhou-h,cn-hangzhou-j' },
        { Key: 'zpl:port', Value: '19530' },
      ]),
    );
    expect(w.emu.world.privatelink.endpointStatus(ep)).toBe('Creating');
    const create = callsOf(w.callsSince(mark), 'CreateVpcEndpoint');
    expect(create).toHaveLength(1);
    expect(create[0]!.params).toMatchObject({
      EndpointType: 'Interface',
      ServiceId: SERVICE_ID,
      ClientToken: expect.stringMatching(new RegExp(`^${linkId(s)}-endpoint-`)),
    });
    expect(next.changes.at(-1)).toEqual({ step: 'EnsureEndpoint', action: 'created', resource: 'endpoint', id: ep.endpointId });
  });

  it('a later run finds it by tag: the same endpoint, nothing written, unchanged', async () => {
    const w = await open();
    const s = spec();
    const state = await w.provisionThrough('EnsureSecurityGroup', s);
    const first = await w.call(ensureEndpoint, s, state);
    const mark = w.mark();
    const second = await w.call(ensureEndpoint, s, state, { execution: 'exec-2' });
    expect(second.state.endpointId).toBe(first.state.endpointId);
    expect(writes(w.callsSince(mark))).toEqual([]);
    expect(second.state.changes.at(-1)).toEqual({
      step: 'EnsureEndpoint',
      action: 'unchanged',
      resource: 'endpoint',
      id: first.state.endpointId,
    });
    expect(w.emu.world.endpoints.size).toBe(1);
  });

  it('a lost reply to CreateVpcEndpoint is retried with the same ClientToken: one endpoint', async () => {
    const w = await open();
    const s = spec();
    const state = await w.provisionThrough('EnsureSecurityGroup', s);
    w.emu.faults.add({ target: 'CreateVpcEndpoint', kind: 'lostReply', count: 1 });
    const { state: next } = await w.call(ensureEndpoint, s, state);
    const creates = callsOf(w.emu.calls.calls, 'CreateVpcEndpoint');
    expect(creates.map((c) => c.fault)).toEqual(['lostReply', undefined]);
    expect(creates[1]!.params?.ClientToken).toBe(creates[0]!.params?.ClientToken);
    expect([...w.emu.world.endpoints.keys()]).toEqual([next.endpointId]);
  });

  it('a later run brings ours up to date: a cluster added to the spec is recorded, a zone removed by hand is added back', async () => {
    const w = await open({ timings: FAST });
    const s = spec();
    const state = await w.provisionThrough('EnsureSecurityGroup', s);
    const id = (await w.call(ensureEndpoint, s, state)).state.endpointId!;
    applyHandEdit(w.emu.world, { op: 'removeEndpointZone', endpointId: id, zoneId: 'cn-hangzhou-j' });
    const mark = w.mark();
    const wider = spec({ clusters: [DEMO.clusterId, DEMO.secondClusterId] });
    const second = await w.call(ensureEndpoint, wider, state, { execution: 'exec-2' });
    expect(writes(w.callsSince(mark))).toEqual(['Privatelink.TagResources', 'AddZoneToVpcEndpoint']);
    const ep = w.emu.world.endpoints.get(id)!;
    expect(ep.tags).toEqual(expect.arrayContaining([{ Key: 'zpl:clusters', Value: `${DEMO.clusterId},${DEMO.secondClusterId}` }]));
    expect(callsOf(w.callsSince(mark), 'AddZoneToVpcEndpoint').map((c) => [c.params?.ZoneId, c.params?.VSwitchId])).toEqual([
      ['cn-hangzhou-j', VSW_J],
    ]);
    expect(ep.zones.map((z) => z.zoneId).sort()).toEqual(['cn-hangzhou-h', 'cn-hangzhou-j']);
    expect(second.state.changes.filter((c) => c.step === 'EnsureEndpoint').map((c) => [c.action, c.resource, c.note])).toEqual([
      ['updated', 'endpoint desired-state tags', 'zpl:clusters'],
      ['updated', 'endpoint zones', 'added cn-hangzhou-j'],
    ]);
    expect(w.emu.world.endpoints.size).toBe(1);
  });

  it('zones added to ours go one at a time: the next waits until the previous is no longer Creating (no ConcurrentCallNotSupported)', async () => {
    const seed = seedWith((x) =>
      x.accounts![0]!.vpcs![0]!.vSwitches!.push({ vSwitchId: VSW_K, zoneId: 'cn-hangzhou-k', cidrBlock: '10.0.3.0/24' }),
    );
    const w = await open({ seed, timings: FAST });
    const s = spec();
    const state = await w.provisionThrough('EnsureSecurityGroup', s);
    const id = (await w.call(ensureEndpoint, s, state)).state.endpointId!;
    applyHandEdit(w.emu.world, { op: 'removeEndpointZone', endpointId: id, zoneId: 'cn-hangzhou-j' });
    const wider = spec({ zones: [{ zoneId: 'cn-hangzhou-h' }, { zoneId: 'cn-hangzhou-j' }, { zoneId: 'cn-hangzhou-k' }] });
    const mark = w.mark();
    const second = await w.call(
      ensureEndpoint,
      wider,
      { ...state, zones: [...state.zones!, { zoneId: 'cn-hangzhou-k', vSwitchId: VSW_K }] },
      { execution: 'exec-2' },
    );
    const adds = callsOf(w.callsSince(mark), 'AddZoneToVpcEndpoint');
    expect(adds.map((c) => [c.params?.ZoneId, c.code ?? 'ok'])).toEqual([
      ['cn-hangzhou-j', 'ok'],
      ['cn-hangzhou-k', 'ok'],
    ]);
    expect(
      w.emu.world.endpoints
        .get(id)!
        .zones.map((z) => z.zoneId)
        .sort(),
    ).toEqual(['cn-hangzhou-h', 'cn-hangzhou-j', 'cn-hangzhou-k']);
    expect(second.state.changes.at(-1)).toMatchObject({
      action: 'updated',
      resource: 'endpoint zones',
      note: 'added cn-hangzhou-j, cn-hangzhou-k',
    });
  });

  it('an endpoint someone else made from this VPC to the service is reused as found, never tagged', async () => {
    const w = await open({ timings: FAST });
    const s = spec();
    const state = await w.provisionThrough('EnsureSecurityGroup', s);
    const theirs = await w.deps.aliyun.privateLink.createEndpoint({
      vpcId: DEMO.vpcId,
      serviceId: SERVICE_ID,
      securityGroupIds: [state.securityGroupId!],
      zones: state.zones!,
      name: 'team-endpoint',
      description: 'made by hand',
      tags: [],
      clientToken: 'made-by-hand-1',
    });
    const mark = w.mark();
    const { state: next } = await w.call(ensureEndpoint, s, state);
    expect(next.endpointId).toBe(theirs.EndpointId);
    expect(next.changes.at(-1)).toEqual({
      step: 'EnsureEndpoint',
      action: 'reused',
      resource: 'endpoint',
      id: theirs.EndpointId,
      note: 'not created by zpl; left as found',
    });
    expect(writes(w.callsSince(mark))).toEqual([]);
    expect(w.emu.world.endpoints.get(theirs.EndpointId)!.tags).toEqual([]);
  });

  it('an endpoint deleted by hand is created again by a later run, under a new ClientToken', async () => {
    const w = await open({ timings: FAST });
    const s = spec();
    const state = await w.provisionThrough('EnsureSecurityGroup', s);
    const first = await w.call(ensureEndpoint, s, state);
    applyHandEdit(w.emu.world, { op: 'deleteEndpoint', endpointId: first.state.endpointId! });
    const second = await w.call(ensureEndpoint, s, state, { execution: 'exec-2' });
    expect(second.state.endpointId).not.toBe(first.state.endpointId);
    expect([...w.emu.world.endpoints.keys()]).toEqual([second.state.endpointId]);
    const tokens = callsOf(w.emu.calls.calls, 'CreateVpcEndpoint').map((c) => c.params?.ClientToken);
    expect(new Set(tokens).size).toBe(2);
  });
});

describe('CheckEndpoint (a wait step)', () => {
  it('while Creating: lingers 55 s, then not ready, with the deadline counted from the first poll', async () => {
    const w = await open();
    const s = spec();
    const state = await w.provisionThrough('EnsureEndpoint', s);
    const id = state.endpointId!;
    const t0 = w.emu.clock.now();
    const mark = w.mark();
    const { state: next, wait } = await w.call(checkEndpoint, s, state);
    expect(w.emu.clock.now() - t0).toBe(55_000);
    expect(wait).toEqual({
      ready: false,
      nextPollSeconds: 6,
      deadline: iso(t0 + 1800_000),
      waitingFor: `endpoint ${id} to become Active (now Creating)`,
    });
    expect(next.waits).toEqual({ endpoint: { since: t0, polls: 1 } });
    expect(next.endpointDomain).toBeUndefined();
    const polls = callsOf(w.callsSince(mark), 'GetVpcEndpointAttribute');
    expect(polls).toHaveLength(12);
    expect(polls.every((c) => c.params?.EndpointId === id)).toBe(true);
  });

  it("once Active: records the endpoint's domain and each zone's ENI address and domain, and ends the wait", async () => {
    const w = await open();
    const s = spec();
    const first = await w.call(checkEndpoint, s, await w.provisionThrough('EnsureEndpoint', s));
    const ep = w.emu.world.endpoints.get(first.state.endpointId!)!;
    const second = await w.call(checkEndpoint, s, first.state);
    expect(second.wait).toMatchObject({ ready: false, deadline: first.wait!.deadline });
    expect(second.state.waits?.endpoint?.polls).toBe(2);
    w.emu.clock.advance(ep.activeAt - w.emu.clock.now());
    const mark = w.mark();
    const third = await w.call(checkEndpoint, s, second.state);
    expect(third.wait?.ready).toBe(true);
    expect(third.state.endpointDomain).toBe(w.emu.world.privatelink.endpointDomain(ep));
    expect(third.state.zoneIps).toEqual(
      ep.zones.map((z) => ({ zoneId: z.zoneId, ip: z.eniIp, domain: w.emu.world.privatelink.zoneDomain(ep, z) })),
    );
    expect(third.state.waits).toEqual({});
    expect(callsOf(w.callsSince(mark), 'ListVpcEndpointZones').map((c) => c.params?.MaxResults)).toEqual([50]);
  });

  it('polls less often the longer it waits, and never past the deadline', async () => {
    const w = await open({ timings: { endpointActiveMs: 10 * 3600_000 } });
    const s = spec();
    const before = await w.provisionThrough('EnsureEndpoint', s);
    const t0 = w.emu.clock.now();
    let { state } = await w.call(checkEndpoint, s, before);
    const pollAt = async (elapsedMs: number) => {
      w.emu.clock.advance(t0 + elapsedMs - w.emu.clock.now());
      const r = await w.call(checkEndpoint, s, state);
      state = r.state;
      return r.wait!.nextPollSeconds;
    };
    expect(await pollAt(300_000)).toBe(30);
    expect(await pollAt(900_000)).toBe(90);
    // Never past the deadline (1800 s by default for the endpoint).
    expect(await pollAt(1_790_000)).toBe(10);
  });

  it('still Creating at its deadline: Wait.EndpointNotActive', async () => {
    const w = await open({ timings: { endpointActiveMs: 10 * 3600_000 } });
    const s = spec({ deadlines: { endpointActiveSeconds: 600 } });
    const before = await w.provisionThrough('EnsureEndpoint', s);
    const t0 = w.emu.clock.now();
    const first = await w.call(checkEndpoint, s, before);
    const id = first.state.endpointId!;
    w.emu.clock.advance(t0 + 599_000 - w.emu.clock.now());
    const last = await w.call(checkEndpoint, s, first.state);
    expect(last.wait).toMatchObject({ ready: false, nextPollSeconds: 1 });
    w.emu.clock.advance(1_000);
    expect(await failure(w.call(checkEndpoint, s, last.state), 'CheckEndpoint')).toEqual({
      step: 'CheckEndpoint',
      code: 'Wait.EndpointNotActive',
      message: `endpoint ${id} was still Creating after 600s`,
    });
  });

  it('an endpoint deleted while waited for: Endpoint.Gone', async () => {
    const w = await open();
    const s = spec();
    const first = await w.call(checkEndpoint, s, await w.provisionThrough('EnsureEndpoint', s));
    const id = first.state.endpointId!;
    applyHandEdit(w.emu.world, { op: 'deleteEndpoint', endpointId: id });
    expect(await failure(w.call(checkEndpoint, s, first.state), 'CheckEndpoint')).toEqual({
      step: 'CheckEndpoint',
      code: 'Endpoint.Gone',
      message: `endpoint ${id} does not exist (deleted while the link was being provisioned?)`,
    });
  });
});

describe('steps out of order', () => {
  it('every step that needs an earlier one refuses with State.Incomplete, before calling any cloud', async () => {
    const w = await open();
    const s = spec();
    const steps = {
      checkService,
      ensureSecurityGroup,
      ensureEndpoint,
      checkEndpoint,
      registerEndpoint,
      checkConnection,
      ensureDns,
      verify,
      removeDns,
      deregisterEndpoint,
      deleteEndpoint,
      deleteSecurityGroup,
    };
    const codes: Record<string, string> = {};
    for (const [name, step] of Object.entries(steps)) codes[name] = (await failure(w.call(step, s, start(s)), name)).code;
    expect(codes).toEqual(Object.fromEntries(Object.keys(steps).map((name) => [name, 'State.Incomplete'])));
    expect(w.emu.calls.calls).toEqual([]);
  });
});
