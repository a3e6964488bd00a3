import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AliyunError } from '../shared/aliyun/errors.ts';
import { AliyunTransport } from '../shared/aliyun/rpc.ts';
import { jsonLogger } from '../shared/log.ts';
import { DEFAULT_TIMINGS, DEMO } from '../local/emulators/fixtures.ts';
import { DEMO_ZONES, TEST_TAGS, callsTo, testSecurityGroup, startTestWorld, type TestWorld } from './support/stack.ts';
import { CATALOG_BY_PRODUCT } from '../shared/aliyun/catalog.ts';

const VPC = DEMO.vpcId;
const ZONES = DEMO_ZONES;
const TAGS = TEST_TAGS;

let w: TestWorld;
beforeEach(async () => {
  w = await startTestWorld(DEFAULT_TIMINGS);
});
afterEach(() => w.emu.close());

const calls = (action: string) => callsTo(w, action);

const securityGroup = () => testSecurityGroup(w);

describe('VPC reads', () => {
  it('reads CIDR blocks and vSwitches per zone', async () => {
    expect(await w.apis.vpc.cidrBlocks(VPC)).toEqual(['10.0.0.0/16']);
    const inH = await w.apis.vpc.vSwitches(VPC, 'cn-hangzhou-h');
    expect(inH.map((v) => v.VSwitchId)).toEqual(['vsw-bp1demoh000000000001']);
    await expect(w.apis.vpc.describeVpc('vpc-bp1nothere00000000001')).rejects.toMatchObject({
      code: 'Forbidden.VpcNotFound',
      retryable: false,
    });
  });
});

describe('security groups', () => {
  it('creates, authorizes (identical rules are no-ops), finds by tag, describes and deletes', async () => {
    const id = await securityGroup();
    const rule = { protocol: 'TCP' as const, portRange: '19530/19530', sourceCidr: '10.0.0.0/16', description: 'zilliz' };
    await w.apis.securityGroups.authorize(
      id,
      [rule, { protocol: 'ICMP', portRange: '-1/-1', sourceCidr: '10.0.0.0/16', description: 'ping' }],
      () => 'auth-1',
    );
    await w.apis.securityGroups.authorize(id, [rule], () => 'auth-2');
    const described = await w.apis.securityGroups.describe(id);
    expect(described?.Permissions.Permission.map((p) => `${p.IpProtocol} ${p.PortRange} ${p.SourceCidrIp} ${p.NicType}`)).toEqual([
      'TCP 19530/19530 10.0.0.0/16 intranet',
      'ICMP -1/-1 10.0.0.0/16 intranet',
    ]);
    const found = await w.apis.securityGroups.find({ vpcId: VPC, tags: TAGS });
    expect(found.map((g) => [g.SecurityGroupId, g.Tags.Tag])).toEqual([[id, [{ TagKey: 'zpl:link', TagValue: 'zpl-test' }]]]);
    expect(await w.apis.securityGroups.find({ vpcId: VPC, tags: [{ Key: 'zpl:link', Value: 'other' }] })).toEqual([]);
    await w.apis.securityGroups.delete(id);
    expect(await w.apis.securityGroups.describe(id)).toBeUndefined();
  });

  it('rejects malformed rules with the official codes', async () => {
    const id = await securityGroup();
    await expect(
      w.apis.securityGroups.authorize(
        id,
        [{ protocol: 'TCP', portRange: '0/70000', sourceCidr: '10.0.0.0/16', description: 'x' }],
        () => 't1',
      ),
    ).rejects.toMatchObject({
      code: 'InvalidPortRange.Malformed',
    });
    await expect(
      w.apis.securityGroups.authorize(id, [{ protocol: 'TCP', portRange: '1/2', sourceCidr: '10.0.0.0/99', description: 'x' }], () => 't2'),
    ).rejects.toMatchObject({
      code: 'InvalidSourceCidrIp.Malformed',
    });
    // Was InvalidParamter.Conflict: the metadata's code for mixing the legacy top-level fields with Permissions.N is InvalidParam.Permissions.
    await expect(
      w.transport().call('Ecs', 'AuthorizeSecurityGroup', 'cn-hangzhou', {
        RegionId: 'cn-hangzhou',
        SecurityGroupId: id,
        IpProtocol: 'TCP',
        Permissions: [{ IpProtocol: 'TCP', PortRange: '1/1', SourceCidrIp: '10.0.0.0/8' }],
      }),
    ).rejects.toMatchObject({ code: 'InvalidParam.Permissions', httpStatus: 400, retryable: false });
  });
});

describe('PrivateLink endpoint life cycle', () => {
  it('follows allowlist → visible → Creating → Active → Wait → registered → Connecting → Connected → deleted', async () => {
    const sg = await securityGroup();
    const [service] = await w.zilliz.endpointServices('ali-cn-hangzhou');
    const create = () =>
      w.apis.privateLink.createEndpoint({
        vpcId: VPC,
        serviceId: 'epsrv-bp1zillizhz0000001',
        securityGroupIds: [sg],
        zones: ZONES,
        name: 'zpl-test',
        description: 'test endpoint',
        tags: TAGS,
        clientToken: 'ep-token-1',
      });

    // Not allowlisted yet: invisible, and creating fails for good.
    expect(await w.apis.privateLink.servicesVisibleToMe({ serviceName: service!.endpointService })).toEqual([]);
    await expect(create()).rejects.toMatchObject({ code: 'EndpointServiceNotAuthorized', retryable: false });

    await w.zilliz.allowlistAccount(DEMO.projectId, 'ali-cn-hangzhou', DEMO.accountId);
    w.emu.clock.advance(59_000);
    expect(await w.apis.privateLink.servicesVisibleToMe()).toEqual([]);
    w.emu.clock.advance(1_000);
    const [visible] = await w.apis.privateLink.servicesVisibleToMe({ serviceName: service!.endpointService });
    expect(visible).toMatchObject({ ServiceId: 'epsrv-bp1zillizhz0000001', Zones: ['cn-hangzhou-h', 'cn-hangzhou-j', 'cn-hangzhou-k'] });

    const created = await create();
    expect(created).toMatchObject({ EndpointStatus: 'Creating', ConnectionStatus: 'Disconnected' });
    const id = created.EndpointId;
    expect((await w.apis.privateLink.endpointZones(id)).map((z) => z.ZoneStatus)).toEqual(['Creating', 'Creating']);

    w.emu.clock.advance(120_000);
    expect(await w.apis.privateLink.getEndpoint(id)).toMatchObject({
      EndpointStatus: 'Active',
      ConnectionStatus: 'Disconnected',
      EndpointDomain: created.EndpointDomain,
    });
    const zones = await w.apis.privateLink.endpointZones(id);
    expect(zones.map((z) => [z.ZoneId, z.ZoneStatus, z.EniIp])).toEqual([
      ['cn-hangzhou-h', 'Wait', '10.0.1.10'],
      ['cn-hangzhou-j', 'Wait', '10.0.2.10'],
    ]);

    await w.zilliz.registerEndpoint(DEMO.projectId, 'ali-cn-hangzhou', id);
    // Zilliz documents no status words: null while pending, then the emulator's (deliberately not `accepted`).
    expect((await w.zilliz.listEndpoints(DEMO.projectId)).map((e) => [e.endpointId, e.endpointStatus])).toEqual([[id, null]]);
    w.emu.clock.advance(300_000);
    expect((await w.apis.privateLink.getEndpoint(id))?.ConnectionStatus).toBe('Connecting');
    expect((await w.zilliz.listEndpoints(DEMO.projectId))[0]?.endpointStatus).toBe('Approved');
    w.emu.clock.advance(10_000);
    expect((await w.apis.privateLink.getEndpoint(id))?.ConnectionStatus).toBe('Connected');
    expect((await w.apis.privateLink.endpointZones(id)).map((z) => z.ZoneStatus)).toEqual(['Connected', 'Connected']);

    const listed = await w.apis.privateLink.listEndpoints({ vpcId: VPC, tags: TAGS });
    expect(listed.map((e) => [e.EndpointId, e.Tags])).toEqual([[id, TAGS]]);

    // One zone operation at a time per endpoint: while one runs, another is ConcurrentCallNotSupported
    // (was EndpointLocked here), which the transport retries before giving up.
    await w.apis.privateLink.removeZone(id, 'cn-hangzhou-j', 'rm-j');
    await expect(w.apis.privateLink.addZone(id, ZONES[1]!, 'add-j')).rejects.toMatchObject({
      code: 'ConcurrentCallNotSupported',
      retryable: true,
    });
    expect(calls('AddZoneToVpcEndpoint').map((c) => c.code)).toEqual(Array(5).fill('ConcurrentCallNotSupported'));
    w.emu.clock.advance(30_000);
    expect((await w.apis.privateLink.endpointZones(id)).map((z) => z.ZoneId)).toEqual(['cn-hangzhou-h']);
    await w.apis.privateLink.addZone(id, ZONES[1]!, 'add-j');
    w.emu.clock.advance(30_000);

    // Zones first: "删除终端节点之前，请先删除终端节点中已添加的可用区" (the old run deleted it with both zones in it).
    await expect(w.apis.privateLink.deleteEndpoint(id, 'del-1')).rejects.toMatchObject({
      code: 'EndpointDependenceViolation',
      httpStatus: 400,
      retryable: false,
    });
    for (const zone of ['cn-hangzhou-h', 'cn-hangzhou-j']) {
      await w.apis.privateLink.removeZone(id, zone, `rm-${zone}-2`);
      expect((await w.apis.privateLink.endpointZones(id)).find((z) => z.ZoneId === zone)?.ZoneStatus).toBe('Deleting');
      await expect(w.apis.privateLink.deleteEndpoint(id, 'del-2')).rejects.toMatchObject({ code: 'ConcurrentCallNotSupported' });
      w.emu.clock.advance(30_000);
    }
    expect(await w.apis.privateLink.endpointZones(id)).toEqual([]);
    await w.apis.privateLink.deleteEndpoint(id, 'del-3');
    expect((await w.apis.privateLink.getEndpoint(id))?.EndpointStatus).toBe('Deleting');
    w.emu.clock.advance(30_000);
    expect(await w.apis.privateLink.getEndpoint(id)).toBeUndefined();
    expect(await w.zilliz.listEndpoints(DEMO.projectId)).toEqual([]);
  });

  it('refuses a zone the service does not support and a vSwitch from another zone', async () => {
    const sg = await securityGroup();
    await w.zilliz.allowlistAccount(DEMO.projectId, 'ali-cn-hangzhou', DEMO.accountId);
    w.emu.clock.advance(60_000);
    const base = {
      vpcId: VPC,
      serviceId: 'epsrv-bp1zillizhz0000001',
      securityGroupIds: [sg],
      name: 'zpl-test',
      description: 'test endpoint',
      tags: TAGS,
    };
    await expect(
      w.apis.privateLink.createEndpoint({
        ...base,
        zones: [{ zoneId: 'cn-hangzhou-b', vSwitchId: 'vsw-bp1demoh000000000001' }],
        clientToken: 'a',
      }),
    ).rejects.toMatchObject({
      code: 'EndpointServiceNotSupportedZone',
    });
    await expect(
      w.apis.privateLink.createEndpoint({
        ...base,
        zones: [{ zoneId: 'cn-hangzhou-h', vSwitchId: 'vsw-bp1demoj000000000001' }],
        clientToken: 'b',
      }),
    ).rejects.toMatchObject({
      code: 'VSwitchNotFound',
    });
    await expect(
      w.apis.privateLink.createEndpoint({ ...base, securityGroupIds: [], zones: ZONES, clientToken: 'c' }),
    ).rejects.toMatchObject({
      code: 'EndpointMustContainSecurityGroup',
    });
  });
});

describe('PrivateZone', () => {
  it('adds a zone and records, keeps bindings as a replace-all set, and refuses to delete a bound zone', async () => {
    const { ZoneId } = await w.apis.privateZone.addZone('ali-cn-hangzhou.vectordb.zilliz.com.cn', 'RECORD', 'zone-1');
    expect((await w.apis.privateZone.zonesNamed('ali-cn-hangzhou.vectordb.zilliz.com.cn')).map((z) => [z.ZoneId, z.ProxyPattern])).toEqual([
      [ZoneId, 'RECORD'],
    ]);
    await w.apis.privateZone.setRemark(ZoneId, 'zpl.link.zpl-test', 'remark-1');
    const { RecordId } = await w.apis.privateZone.addRecord(
      ZoneId,
      { rr: 'in01-x-privatelink', type: 'CNAME', value: 'ep-1.example.com', ttl: 60, remark: 'zpl.link.zpl-test' },
      'rec-1',
    );
    await expect(
      w.apis.privateZone.addRecord(
        ZoneId,
        { rr: 'in01-x-privatelink', type: 'CNAME', value: 'other.example.com', ttl: 60, remark: '' },
        'rec-2',
      ),
    ).rejects.toMatchObject({
      code: 'Record.Invalid.Conflict',
    });
    await w.apis.privateZone.updateRecord(
      RecordId,
      { rr: 'in01-x-privatelink', type: 'CNAME', value: 'ep-2.example.com', ttl: 60 },
      'upd-1',
    );
    await w.apis.privateZone.setRecordStatus(RecordId, 'DISABLE', 'status-1');
    expect(await w.apis.privateZone.records(ZoneId, 'in01-x-privatelink')).toEqual([
      {
        RecordId,
        Rr: 'in01-x-privatelink',
        Type: 'CNAME',
        Value: 'ep-2.example.com',
        Ttl: 60,
        Status: 'DISABLE',
        Remark: 'zpl.link.zpl-test',
      },
    ]);

    await w.emu.world.seed({
      accounts: [
        {
          accountId: DEMO.accountId,
          accessKeys: [{ accessKeyId: DEMO.accessKeyId, accessKeySecret: DEMO.accessKeySecret }],
          vpcs: [{ vpcId: 'vpc-bp1other000000000001', regionId: 'cn-hangzhou', cidrBlock: '172.16.0.0/16' }],
        },
      ],
    });
    await w.apis.privateZone.setBindings(ZoneId, [{ vpcId: 'vpc-bp1other000000000001', regionId: 'cn-hangzhou' }], 'bind-1');
    await w.apis.privateZone.setBindings(ZoneId, [{ vpcId: VPC, regionId: 'cn-hangzhou' }], 'bind-2');
    // BindZoneVpc replaced the set: the other VPC is gone (the hazard the product must avoid).
    expect((await w.apis.privateZone.zoneInfo(ZoneId))?.BindVpcs.Vpc.map((v) => v.VpcId)).toEqual([VPC]);
    expect((await w.apis.privateZone.zonesBoundTo(VPC)).map((z) => z.ZoneId)).toEqual([ZoneId]);

    // A second zone of the same name cannot be bound to the same VPC.
    const twin = await w.apis.privateZone.addZone('ali-cn-hangzhou.vectordb.zilliz.com.cn', 'ZONE', 'zone-2');
    await expect(w.apis.privateZone.setBindings(twin.ZoneId, [{ vpcId: VPC, regionId: 'cn-hangzhou' }], 'bind-3')).rejects.toMatchObject({
      code: 'ZoneVpc.Zone.Repeated',
    });

    await w.apis.privateZone.setProxyPattern(ZoneId, 'ZONE', 'pp-1');
    await expect(w.apis.privateZone.deleteZone(ZoneId, 'del-1')).rejects.toMatchObject({ code: 'Zone.VpcExists' });
    await w.apis.privateZone.deleteRecord(RecordId, 'delrec-1');
    await w.apis.privateZone.setBindings(ZoneId, [], 'unbind-all');
    // Just unbound: still Zone.VpcExists until the unbinding settles (zoneUnbindSettleMs).
    await expect(w.apis.privateZone.deleteZone(ZoneId, 'del-2')).rejects.toMatchObject({ code: 'Zone.VpcExists', httpStatus: 400 });
    w.emu.clock.advance(DEFAULT_TIMINGS.zoneUnbindSettleMs);
    await w.apis.privateZone.deleteZone(ZoneId, 'del-2');
    expect(await w.apis.privateZone.zoneInfo(ZoneId)).toBeUndefined();
  });

  it('same-name zones: one per VPC (ZoneVpc.Zone.Repeated, 400, on binding or re-binding); DescribeZones finds them by QueryVpcId and QueryRegionId', async () => {
    const name = 'ali-cn-hangzhou.vectordb.zilliz.com.cn';
    const other = 'vpc-bp1other000000000002';
    await w.emu.world.seed({
      accounts: [
        {
          accountId: DEMO.accountId,
          accessKeys: [{ accessKeyId: DEMO.accessKeyId, accessKeySecret: DEMO.accessKeySecret }],
          vpcs: [{ vpcId: other, regionId: 'cn-hangzhou', cidrBlock: '172.16.0.0/16' }],
        },
      ],
    });
    const pvtz = w.apis.privateZone;
    const a = await pvtz.addZone(name, 'RECORD', 'same-a');
    const b = await pvtz.addZone(name, 'RECORD', 'same-b');
    expect(a.ZoneId).not.toBe(b.ZoneId);
    await pvtz.setBindings(a.ZoneId, [{ vpcId: VPC, regionId: 'cn-hangzhou' }], 'same-bind-a');
    await pvtz.setBindings(b.ZoneId, [{ vpcId: other, regionId: 'cn-hangzhou' }], 'same-bind-b');
    // Adding this VPC to the second zone's set is refused as a whole: the other VPC keeps its binding.
    await expect(
      pvtz.setBindings(
        b.ZoneId,
        [
          { vpcId: other, regionId: 'cn-hangzhou' },
          { vpcId: VPC, regionId: 'cn-hangzhou' },
        ],
        'same-bind-both',
      ),
    ).rejects.toMatchObject({ code: 'ZoneVpc.Zone.Repeated', httpStatus: 400 });
    expect((await pvtz.zoneInfo(b.ZoneId))?.BindVpcs.Vpc.map((v) => v.VpcId)).toEqual([other]);
    expect((await pvtz.zonesBoundTo(VPC, 'cn-hangzhou')).map((z) => z.ZoneId)).toEqual([a.ZoneId]);
    expect((await pvtz.zonesBoundTo(other, 'cn-hangzhou')).map((z) => z.ZoneId)).toEqual([b.ZoneId]);
    // The region is the bound VPC's: another region finds nothing.
    expect(await pvtz.zonesBoundTo(VPC, 'cn-beijing')).toEqual([]);
    expect((await pvtz.zonesNamed(name)).map((z) => z.ZoneId).sort()).toEqual([a.ZoneId, b.ZoneId].sort());
    expect((await pvtz.zonesNamed(name)).every((z) => typeof z.CreateTimestamp === 'number')).toBe(true);
  });

  it('refuses remarks outside 50 digits, letters, Chinese and _ - , . ，。 (Zone.Remark, 400), zones and records alike', async () => {
    const { ZoneId } = await w.apis.privateZone.addZone('ali-cn-hangzhou.vectordb.zilliz.com.cn', 'RECORD', 'zone-r');
    const record = (remark: string, n: number) =>
      w.apis.privateZone.addRecord(ZoneId, { rr: `r${n}`, type: 'CNAME', value: 'ep-1.example.com', ttl: 60, remark }, `rec-r${n}`);
    for (const bad of ['zpl:link=zpl-test', 'a b', 'x'.repeat(51), 'zpl/link']) {
      await expect(w.apis.privateZone.setRemark(ZoneId, bad, `remark-${bad.length}`)).rejects.toMatchObject({
        code: 'Zone.Remark',
        httpStatus: 400,
      });
      await expect(record(bad, bad.length)).rejects.toMatchObject({ code: 'Zone.Remark', httpStatus: 400 });
    }
    for (const [n, good] of ['zpl.link.zpl-0123456789ab', 'x'.repeat(50), '私网连接_a-b,c.d，。', ''].entries()) {
      await w.apis.privateZone.setRemark(ZoneId, good, `remark-ok-${n}`);
      await record(good, 100 + n);
    }
    expect((await w.apis.privateZone.records(ZoneId)).map((r) => r.Remark)).toEqual([
      'zpl.link.zpl-0123456789ab',
      'x'.repeat(50),
      '私网连接_a-b,c.d，。',
      '',
    ]);
  });

  it("keeps each binding's VpcType and owner: an EDS workspace VPC binds only as EDS; another account's VPC stays that account's", async () => {
    await w.emu.world.seed({
      accounts: [
        {
          accountId: '5555000011112222',
          accessKeys: [{ accessKeyId: 'LTAI5tOtherAccount00001', accessKeySecret: 'other' }],
          vpcs: [
            { vpcId: 'vpc-bp1eds0000000000001', regionId: 'cn-hangzhou', cidrBlock: '172.20.0.0/16', vpcType: 'EDS' },
            { vpcId: 'vpc-bp1peer000000000001', regionId: 'cn-hangzhou', cidrBlock: '172.21.0.0/16' },
          ],
        },
      ],
    });
    const { ZoneId } = await w.apis.privateZone.addZone('ali-cn-hangzhou.vectordb.zilliz.com.cn', 'RECORD', 'zone-b');
    await expect(
      w.apis.privateZone.setBindings(ZoneId, [{ vpcId: 'vpc-bp1eds0000000000001', regionId: 'cn-hangzhou' }], 'bind-eds-0'),
    ).rejects.toMatchObject({ code: 'Vpc.NotExists' });
    await w.apis.privateZone.setBindings(
      ZoneId,
      [
        { vpcId: 'vpc-bp1eds0000000000001', regionId: 'cn-hangzhou', vpcType: 'EDS' },
        { vpcId: 'vpc-bp1peer000000000001', regionId: 'cn-hangzhou' },
        { vpcId: VPC, regionId: 'cn-hangzhou' },
      ],
      'bind-eds',
    );
    expect((await w.apis.privateZone.zoneInfo(ZoneId))?.BindVpcs.Vpc.map((v) => [v.VpcId, v.VpcType, String(v.VpcUserId)])).toEqual([
      ['vpc-bp1eds0000000000001', 'EDS', '5555000011112222'],
      ['vpc-bp1peer000000000001', 'STANDARD', '5555000011112222'],
      [VPC, 'STANDARD', DEMO.accountId],
    ]);
  });
});

describe('transport behaviour', () => {
  it('retries throttling and 5xx with back-off, then succeeds', async () => {
    w.emu.faults.add({ target: 'DescribeVpcAttribute', kind: 'error', code: 'Throttling.User', count: 2 });
    w.emu.faults.add({ target: 'DescribeVpcAttribute', kind: 'error', code: 'ServiceUnavailable', httpStatus: 503, count: 1 });
    expect(await w.apis.vpc.cidrBlocks(VPC)).toEqual(['10.0.0.0/16']);
    expect(calls('DescribeVpcAttribute').map((c) => c.code ?? 'ok')).toEqual([
      'Throttling.User',
      'Throttling.User',
      'ServiceUnavailable',
      'ok',
    ]);
  });

  it('fails at once on a non-retryable error, with product, action, code, request ID and status', async () => {
    w.emu.faults.add({ target: 'DescribeVSwitches', kind: 'error', code: 'Forbidden.RAM', httpStatus: 403, count: 1 });
    const error = await w.apis.vpc.vSwitches(VPC).catch((e) => e);
    expect(error).toBeInstanceOf(AliyunError);
    expect(error).toMatchObject({ product: 'Vpc', action: 'DescribeVSwitches', code: 'Forbidden.RAM', httpStatus: 403, retryable: false });
    expect(error.requestId).toMatch(/^[0-9A-F-]{36}$/);
    expect(calls('DescribeVSwitches')).toHaveLength(1);
  });

  it('gives up after the retry budget on a persistent outage', async () => {
    w.emu.faults.add({ target: 'DescribeVpcAttribute', kind: 'error', code: 'InternalError', httpStatus: 500 });
    await expect(w.apis.vpc.cidrBlocks(VPC)).rejects.toMatchObject({ code: 'InternalError', retryable: true });
    expect(calls('DescribeVpcAttribute')).toHaveLength(5);
  });

  it('survives a lost reply: the retry with the same ClientToken returns the first result, creating nothing twice', async () => {
    w.emu.faults.add({ target: 'CreateSecurityGroup', kind: 'lostReply', count: 1 });
    const id = await securityGroup();
    expect(calls('CreateSecurityGroup').map((c) => c.fault ?? 'ok')).toEqual(['lostReply', 'ok']);
    expect([...w.emu.world.securityGroups.keys()]).toEqual([id]);
  });

  it('refuses a reused ClientToken with other parameters', async () => {
    await securityGroup();
    await expect(
      w.apis.securityGroups.create({ vpcId: VPC, name: 'zpl-other', description: 'other group', tags: TAGS, clientToken: 'sg-token-1' }),
    ).rejects.toMatchObject({
      code: 'IdempotentParameterMismatch',
    });
  });

  it('rejects missing required parameters and wrong types as the gateway does', async () => {
    const t = w.transport();
    await expect(t.call('Vpc', 'DescribeVpcAttribute', 'cn-hangzhou', { RegionId: 'cn-hangzhou' })).rejects.toMatchObject({
      code: 'MissingVpcId',
      httpStatus: 400,
    });
    await expect(
      t.call('Privatelink', 'ListVpcEndpoints', 'cn-hangzhou', { RegionId: 'cn-hangzhou', MaxResults: 'many' }),
    ).rejects.toMatchObject({
      code: 'InvalidParameter',
    });
    // Unknown optional parameters are tolerated (the metadata lags the live API).
    await expect(
      t.call('Vpc', 'DescribeVpcAttribute', 'cn-hangzhou', { RegionId: 'cn-hangzhou', VpcId: VPC, SomeNewFlag: 'true' }),
    ).resolves.toMatchObject({ VpcId: VPC });
  });

  it('fails loudly, without retrying, when a response does not have the expected shape', async () => {
    // A gateway that answers 200 with a changed wire shape (Permissions no longer wrapped).
    const server = createServer((_req, res) =>
      res.end(JSON.stringify({ RequestId: 'R-1', SecurityGroupId: 'sg-1', VpcId: VPC, Permissions: [] })),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const t = w.transport({ endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    const error = await t
      .call('Ecs', 'DescribeSecurityGroupAttribute', 'cn-hangzhou', { RegionId: 'cn-hangzhou', SecurityGroupId: 'sg-1' })
      .catch((e) => e);
    server.close();
    expect(error).toMatchObject({ code: 'UnexpectedResponse', retryable: false, requestId: 'R-1' });
    expect(error.message).toContain('Permissions');
  });

  it('reports a wrong secret as SignatureDoesNotMatch and an unknown key as not found, without retrying', async () => {
    const wrong = w.transport({ credentials: { accessKeyId: DEMO.accessKeyId, accessKeySecret: 'not-the-secret' } });
    await expect(wrong.call('Vpc', 'DescribeVpcAttribute', 'cn-hangzhou', { RegionId: 'cn-hangzhou', VpcId: VPC })).rejects.toMatchObject({
      code: 'SignatureDoesNotMatch',
      retryable: false,
    });
    const unknown = w.transport({ credentials: { accessKeyId: 'LTAI5tNobody', accessKeySecret: 'x' } });
    await expect(unknown.call('Vpc', 'DescribeVpcAttribute', 'cn-hangzhou', { RegionId: 'cn-hangzhou', VpcId: VPC })).rejects.toMatchObject(
      {
        code: 'InvalidAccessKeyId.NotFound',
        httpStatus: 404,
      },
    );
  });

  it('without explicit keys, takes credentials from the default chain (ALIBABA_CLOUD_* environment variables)', async () => {
    const saved = { ...process.env };
    process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = DEMO.accessKeyId;
    process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = DEMO.accessKeySecret;
    try {
      const t = new AliyunTransport({
        catalog: CATALOG_BY_PRODUCT,
        endpoint: w.emu.alibabaUrl,
        retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
      });
      await expect(t.call('Vpc', 'DescribeVpcAttribute', 'cn-hangzhou', { RegionId: 'cn-hangzhou', VpcId: VPC })).resolves.toMatchObject({
        VpcId: VPC,
      });
      expect(w.emu.calls.calls.at(-1)?.caller).toBe(DEMO.accessKeyId);
    } finally {
      process.env = saved;
    }
  });

  it('never writes a secret or signature into logs or errors', async () => {
    const lines: string[] = [];
    const t = w.transport({ log: jsonLogger((l) => lines.push(l)) });
    w.emu.faults.add({ target: 'DescribeVpcAttribute', kind: 'error', code: 'Throttling', count: 1 });
    await t.call('Vpc', 'DescribeVpcAttribute', 'cn-hangzhou', { RegionId: 'cn-hangzhou', VpcId: VPC });
    const errors = [
      await t
        .call('Vpc', 'DescribeVpcAttribute', 'cn-hangzhou', { RegionId: 'cn-hangzhou', VpcId: 'vpc-bp1nothere00000000001' })
        .catch((e) => e),
    ];
    const text = [...lines, ...errors.map((e) => `${e.message} ${JSON.stringify(e)} ${e.stack}`)].join('\n');
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(text).not.toContain(DEMO.accessKeySecret);
    expect(text).not.toMatch(/Signature=|ACS3-HMAC-SHA256 Credential/);
  });
});
