import { zillizRegionId, type Region } from '../../shared/regions.ts';
import type { CaseContext } from './context.ts';
import { deleteEndpoint, deleteSecurityGroupWhenFree, deleteZone, deleteZoneRecords, PARITY_TAG_KEY, PARITY_ZONE_SUFFIX } from './sweep.ts';

/**
 * The parity cases: the calls zpl makes, and deliberate bad requests, each run the same way on
 * every target. Reads touch only what exists; `write` cases make (and always remove) resources
 * of their own, tagged or named for the sweeper; `endpoint` also makes an interface endpoint,
 * which is billed by the hour. Expected error codes are the official metadata's
 * (test/reference/aliyun-openapi-meta/<product>.json, `apis.<Action>.errorCodes`).
 */
export interface ParityCase {
  id: string;
  title: string;
  needs: 'read' | 'write' | 'endpoint';
  /** Runs only with a Zilliz project and cluster (ZPL_PARITY_PROJECT_ID, ZPL_PARITY_CLUSTER_ID). */
  zilliz?: boolean;
  run(ctx: CaseContext): Promise<void>;
}

const ECS_META = 'ecs_2014-05-26.json';
const region = (ctx: CaseContext) => ({ RegionId: ctx.sandbox.region });
const parityTag = (ctx: CaseContext) => ({ Key: PARITY_TAG_KEY, Value: ctx.runId });
/** TEST-NET-1 (RFC 5737): a rule source that reaches nothing. */
const DOC_CIDR = '192.0.2.0/24';

const reads: ParityCase[] = [
  {
    id: 'ecs.security-group.unknown',
    title: 'ECS: describing a security group that does not exist',
    needs: 'read',
    run: async (ctx) => {
      await ctx.alibaba(
        'describe sg-nonexistent',
        'Ecs',
        'DescribeSecurityGroupAttribute',
        { ...region(ctx), SecurityGroupId: 'sg-nonexistent' },
        {
          declared: {
            code: 'InvalidSecurityGroupId.NotFound',
            httpStatus: 404,
            source: `${ECS_META} DescribeSecurityGroupAttribute errorCodes 404`,
          },
        },
      );
    },
  },
  {
    id: 'ecs.security-groups.sandbox',
    title: "ECS: the sandbox VPC's security groups",
    needs: 'read',
    run: async (ctx) => {
      await ctx.alibaba(
        'list by VPC',
        'Ecs',
        'DescribeSecurityGroups',
        { ...region(ctx), VpcId: ctx.sandbox.vpcId, MaxResults: 10 },
        { compareLiterals: false },
      );
    },
  },
  {
    id: 'vpc.sandbox',
    title: 'VPC: the sandbox VPC and its vSwitches',
    needs: 'read',
    run: async (ctx) => {
      await ctx.alibaba(
        'describe the VPC',
        'Vpc',
        'DescribeVpcAttribute',
        { ...region(ctx), VpcId: ctx.sandbox.vpcId },
        { declared: { literals: { '$.Status': 'Available' }, source: 'vpc_2016-04-28.json DescribeVpcAttribute Status enum' } },
      );
      await ctx.alibaba(
        'its vSwitches',
        'Vpc',
        'DescribeVSwitches',
        { ...region(ctx), VpcId: ctx.sandbox.vpcId, PageSize: 50 },
        { compareLiterals: false },
      );
    },
  },
  {
    id: 'privatelink.account',
    title: "PrivateLink: activation and the sandbox VPC's endpoints",
    needs: 'read',
    run: async (ctx) => {
      await ctx.alibaba(
        'activated',
        'Privatelink',
        'CheckProductOpen',
        {},
        { declared: { literals: { '$.Success': 'true' }, source: 'privatelink_2020-04-15.json CheckProductOpen Success' } },
      );
      await ctx.alibaba(
        'endpoints of the VPC',
        'Privatelink',
        'ListVpcEndpoints',
        { ...region(ctx), VpcId: ctx.sandbox.vpcId },
        { compareLiterals: false },
      );
      await ctx.alibaba(
        'services visible',
        'Privatelink',
        'ListVpcEndpointServicesByEndUser',
        { ...region(ctx), MaxResults: 50 },
        { compareLiterals: false },
      );
    },
  },
  {
    id: 'privatelink.bad-requests',
    title: 'PrivateLink: an unknown endpoint, a page size out of range',
    needs: 'read',
    run: async (ctx) => {
      await ctx.alibaba(
        'get ep-nonexistent',
        'Privatelink',
        'GetVpcEndpointAttribute',
        { ...region(ctx), EndpointId: 'ep-nonexistent' },
        {
          declared: {
            code: 'EndpointNotFound',
            httpStatus: 400,
            source: 'privatelink_2020-04-15.json GetVpcEndpointAttribute errorCodes 400',
          },
        },
      );
      // MaxResults "取值范围：1~50" (metadata description); the gateway's code for a value out of range is unverified (README).
      await ctx.alibaba('MaxResults 1001', 'Privatelink', 'ListVpcEndpoints', { ...region(ctx), MaxResults: 1001 });
    },
  },
  {
    id: 'pvtz.account',
    title: 'PrivateZone: service status and the zones bound to the sandbox VPC',
    needs: 'read',
    run: async (ctx) => {
      await ctx.alibaba(
        'service status',
        'pvtz',
        'DescribeUserServiceStatus',
        {},
        {
          declared: { literals: { '$.Status': 'OPENED' }, source: 'alibabacloud-pvtz-sdk DescribeUserServiceStatus (not in the metadata)' },
        },
      );
      await ctx.alibaba(
        'zones bound to the VPC',
        'pvtz',
        'DescribeZones',
        { QueryVpcId: ctx.sandbox.vpcId, QueryRegionId: ctx.sandbox.region, PageSize: 100 },
        { compareLiterals: false },
      );
    },
  },
  {
    id: 'pvtz.zone.unknown',
    title: 'PrivateZone: a zone that does not exist',
    needs: 'read',
    run: async (ctx) => {
      await ctx.alibaba(
        'describe an unknown zone',
        'pvtz',
        'DescribeZoneInfo',
        { ZoneId: 'nonexistent' },
        { declared: { code: 'Zone.NotExists', httpStatus: 400, source: 'pvtz_2018-01-01.json DescribeZoneInfo errorCodes 400' } },
      );
    },
  },
  {
    id: 'zilliz.project',
    title: "Zilliz: the cluster, an unknown cluster, the project's endpoints and the region's endpoint services",
    needs: 'read',
    zilliz: true,
    run: async (ctx) => {
      const { projectId, clusterId } = ctx.sandbox;
      // The cluster's status and plan are the account's own, not the vendor's contract: its shape is compared.
      await ctx.zilliz('describe the cluster', 'describeCluster', (z) => z.describeCluster(clusterId!), { compareLiterals: false });
      await ctx.zilliz('describe an unknown cluster', 'describeCluster', (z) => z.describeCluster('in01-0000000000000000'), {
        declared: { code: '96018', source: 'docs.zilliz.com "Error Codes (v2)": 96018 cluster not found' },
      });
      await ctx.zilliz('private endpoints', 'listEndpoints', (z) => z.listEndpoints(projectId!), { compareLiterals: false });
      await ctx.zilliz('endpoint services', 'endpointServices', (z) => z.endpointServices(zillizRegionId(ctx.sandbox.region as Region)), {
        compareLiterals: false,
      });
    },
  },
];

/** Makes a tagged security group of the run's and registers its deletion. */
async function paritySecurityGroup(ctx: CaseContext, label: string): Promise<string | undefined> {
  const created = await ctx.alibaba(label, 'Ecs', 'CreateSecurityGroup', {
    ...region(ctx),
    VpcId: ctx.sandbox.vpcId,
    SecurityGroupName: `zpl-parity-${ctx.runId}`,
    Description: 'zpl parity suite: deleted when the run ends',
    SecurityGroupType: 'normal',
    Tag: [parityTag(ctx)],
    ClientToken: `zpl-parity-${ctx.runId}-${label.replace(/\W+/g, '-')}`,
  });
  const id = created?.SecurityGroupId;
  if (typeof id !== 'string') return undefined;
  ctx.onCleanup(`security group ${id}`, () => deleteSecurityGroupWhenFree(ctx, id));
  return id;
}

const writes: ParityCase[] = [
  {
    id: 'ecs.security-group.lifecycle',
    title: 'ECS: a tagged security group with rules, an unsupported NicType, a malformed rule, an unknown rule revoked, deleted',
    needs: 'write',
    run: async (ctx) => {
      const id = await paritySecurityGroup(ctx, 'create');
      if (!id) return;
      await ctx.alibaba('authorize TCP and ICMP', 'Ecs', 'AuthorizeSecurityGroup', {
        ...region(ctx),
        SecurityGroupId: id,
        ClientToken: `zpl-parity-${ctx.runId}-authorize`,
        Permissions: [
          {
            IpProtocol: 'TCP',
            PortRange: '19530/19530',
            SourceCidrIp: DOC_CIDR,
            Policy: 'accept',
            Priority: '1',
            NicType: 'intranet',
            Description: 'parity',
          },
          {
            IpProtocol: 'ICMP',
            PortRange: '-1/-1',
            SourceCidrIp: DOC_CIDR,
            Policy: 'accept',
            Priority: '1',
            NicType: 'intranet',
            Description: 'parity',
          },
        ],
      });
      await ctx.alibaba('describe with rules', 'Ecs', 'DescribeSecurityGroupAttribute', {
        ...region(ctx),
        SecurityGroupId: id,
        Direction: 'ingress',
      });
      await ctx.alibaba(
        'an unsupported NicType',
        'Ecs',
        'DescribeSecurityGroupAttribute',
        { ...region(ctx), SecurityGroupId: id, NicType: 'bogus' },
        {
          declared: {
            code: 'InvalidNicType.ValueNotSupported',
            httpStatus: 400,
            source: `${ECS_META} DescribeSecurityGroupAttribute errorCodes 400`,
          },
        },
      );
      await ctx.alibaba('tag', 'Ecs', 'TagResources', {
        ...region(ctx),
        ResourceType: 'securitygroup',
        ResourceId: [id],
        Tag: [{ Key: `${PARITY_TAG_KEY}-extra`, Value: 'extra' }],
      });
      await ctx.alibaba('find by tag', 'Ecs', 'DescribeSecurityGroups', {
        ...region(ctx),
        VpcId: ctx.sandbox.vpcId,
        Tag: [parityTag(ctx)],
      });
      await ctx.alibaba(
        'a port range out of bounds',
        'Ecs',
        'AuthorizeSecurityGroup',
        {
          ...region(ctx),
          SecurityGroupId: id,
          Permissions: [
            { IpProtocol: 'TCP', PortRange: '70000/70001', SourceCidrIp: DOC_CIDR, Policy: 'accept', Priority: '1', NicType: 'intranet' },
          ],
        },
        { declared: { code: 'InvalidPortRange.Malformed', httpStatus: 400, source: `${ECS_META} AuthorizeSecurityGroup errorCodes 400` } },
      );
      await ctx.alibaba(
        'revoke an unknown rule',
        'Ecs',
        'RevokeSecurityGroup',
        { ...region(ctx), SecurityGroupId: id, SecurityGroupRuleId: ['sgr-nonexistent'] },
        {
          declared: {
            code: 'InvalidParam.SecurityGroupRuleId',
            httpStatus: 400,
            source: `${ECS_META} RevokeSecurityGroup errorCodes 400 (and the ECS docs: an unknown rule since 2024-07-08)`,
          },
        },
      );
      await ctx.alibaba('untag', 'Ecs', 'UntagResources', {
        ...region(ctx),
        ResourceType: 'securitygroup',
        ResourceId: [id],
        TagKey: [`${PARITY_TAG_KEY}-extra`],
      });
      await ctx.alibaba('delete', 'Ecs', 'DeleteSecurityGroup', { ...region(ctx), SecurityGroupId: id });
      await ctx.alibaba(
        'describe once deleted',
        'Ecs',
        'DescribeSecurityGroupAttribute',
        { ...region(ctx), SecurityGroupId: id },
        {
          declared: {
            code: 'InvalidSecurityGroupId.NotFound',
            httpStatus: 404,
            source: `${ECS_META} DescribeSecurityGroupAttribute errorCodes 404`,
          },
        },
      );
    },
  },
  {
    id: 'pvtz.zone.lifecycle',
    title: 'PrivateZone: a zone with a remark and records, a malformed record, deleted',
    needs: 'write',
    run: async (ctx) => {
      const token = (step: string) => `zpl-parity-${ctx.runId}-${step}`;
      const added = await ctx.alibaba('add the zone', 'pvtz', 'AddZone', {
        ZoneName: `${ctx.runId}.${PARITY_ZONE_SUFFIX}`,
        ProxyPattern: 'RECORD',
        ClientToken: token('zone'),
      });
      const zoneId = added?.ZoneId;
      if (typeof zoneId !== 'string') return;
      ctx.onCleanup(`zone ${zoneId}`, () => deleteZone(ctx, zoneId));
      await ctx.alibaba('remark', 'pvtz', 'UpdateZoneRemark', {
        ZoneId: zoneId,
        Remark: `zpl.parity.${ctx.runId}`,
        ClientToken: token('remark'),
      });
      await ctx.alibaba('add an A record', 'pvtz', 'AddZoneRecord', {
        ZoneId: zoneId,
        Rr: 'www',
        Type: 'A',
        Value: '192.0.2.10',
        Ttl: 60,
        ClientToken: token('a'),
      });
      const cname = await ctx.alibaba('add a CNAME record', 'pvtz', 'AddZoneRecord', {
        ZoneId: zoneId,
        Rr: 'alias',
        Type: 'CNAME',
        Value: 'www.example.com',
        Ttl: 60,
        Remark: `zpl.parity.${ctx.runId}`,
        ClientToken: token('cname'),
      });
      await ctx.alibaba('records', 'pvtz', 'DescribeZoneRecords', { ZoneId: zoneId, PageSize: 100 });
      await ctx.alibaba('zone info', 'pvtz', 'DescribeZoneInfo', { ZoneId: zoneId });
      await ctx.alibaba('find by name', 'pvtz', 'DescribeZones', {
        Keyword: `${ctx.runId}.${PARITY_ZONE_SUFFIX}`,
        SearchMode: 'EXACT',
        PageSize: 100,
      });
      // PrivateZone's record codes are not in the metadata (the emulator's pvtz/handlers.ts names its source).
      await ctx.alibaba('a record of an unknown type', 'pvtz', 'AddZoneRecord', {
        ZoneId: zoneId,
        Rr: 'bad',
        Type: 'BOGUS',
        Value: '192.0.2.11',
        Ttl: 60,
      });
      if (typeof cname?.RecordId === 'number')
        await ctx.alibaba('delete the CNAME record', 'pvtz', 'DeleteZoneRecord', {
          RecordId: cname.RecordId,
          ClientToken: token('delete-cname'),
        });
      await deleteZoneRecords(ctx, zoneId);
      await ctx.alibaba('delete the zone', 'pvtz', 'DeleteZone', { ZoneId: zoneId, ClientToken: token('delete-zone') });
      await ctx.alibaba(
        'zone info once deleted',
        'pvtz',
        'DescribeZoneInfo',
        { ZoneId: zoneId },
        { declared: { code: 'Zone.NotExists', httpStatus: 400, source: 'pvtz_2018-01-01.json DescribeZoneInfo errorCodes 400' } },
      );
    },
  },
];

const endpoint: ParityCase = {
  id: 'privatelink.endpoint.lifecycle',
  title: 'PrivateLink: an interface endpoint in two zones, Active, deleted (billed by the hour while it exists)',
  needs: 'endpoint',
  run: async (ctx) => {
    const serviceId = ctx.sandbox.serviceId!;
    const sg = await paritySecurityGroup(ctx, 'the endpoint group');
    if (!sg) return;
    const vswitches = await ctx.quietly('Vpc', 'DescribeVSwitches', { ...region(ctx), VpcId: ctx.sandbox.vpcId, PageSize: 50 });
    const byZone = new Map<string, string>();
    for (const v of (vswitches.VSwitches as { VSwitch: { ZoneId: string; VSwitchId: string }[] }).VSwitch)
      byZone.set(v.ZoneId, v.VSwitchId);
    const zones = [...byZone].slice(0, 2).map(([ZoneId, VSwitchId]) => ({ ZoneId, VSwitchId }));
    const created = await ctx.alibaba('create', 'Privatelink', 'CreateVpcEndpoint', {
      ...region(ctx),
      VpcId: ctx.sandbox.vpcId,
      EndpointType: 'Interface',
      ServiceId: serviceId,
      SecurityGroupId: [sg],
      Zone: zones,
      EndpointName: `zpl-parity-${ctx.runId}`,
      Tag: [parityTag(ctx)],
      ClientToken: `zpl-parity-${ctx.runId}-endpoint`,
    });
    const id = created?.EndpointId;
    if (typeof id !== 'string') return;
    ctx.onCleanup(`endpoint ${id}`, () => deleteEndpoint(ctx, id));
    await ctx.until(
      async () =>
        (await ctx.quietly('Privatelink', 'GetVpcEndpointAttribute', { ...region(ctx), EndpointId: id })).EndpointStatus === 'Active',
      `endpoint ${id} Active`,
    );
    await ctx.alibaba('Active', 'Privatelink', 'GetVpcEndpointAttribute', { ...region(ctx), EndpointId: id });
    await ctx.alibaba('its zones', 'Privatelink', 'ListVpcEndpointZones', { ...region(ctx), EndpointId: id });
    await ctx.alibaba('its security groups', 'Privatelink', 'ListVpcEndpointSecurityGroups', { ...region(ctx), EndpointId: id });
    await ctx.alibaba('find by tag', 'Privatelink', 'ListVpcEndpoints', {
      ...region(ctx),
      VpcId: ctx.sandbox.vpcId,
      Tag: [parityTag(ctx)],
    });
    await ctx.alibaba(
      'delete while zones remain',
      'Privatelink',
      'DeleteVpcEndpoint',
      { ...region(ctx), EndpointId: id },
      {
        declared: {
          code: 'EndpointDependenceViolation',
          httpStatus: 400,
          source: 'privatelink_2020-04-15.json DeleteVpcEndpoint errorCodes 400 ("删除终端节点之前，请先删除终端节点中已添加的可用区")',
        },
      },
    );
    await ctx.alibaba('remove a zone', 'Privatelink', 'RemoveZoneFromVpcEndpoint', {
      ...region(ctx),
      EndpointId: id,
      ZoneId: zones[0]!.ZoneId,
    });
    await deleteEndpoint(ctx, id);
    await ctx.alibaba(
      'get once deleted',
      'Privatelink',
      'GetVpcEndpointAttribute',
      { ...region(ctx), EndpointId: id },
      {
        declared: {
          code: 'EndpointNotFound',
          httpStatus: 400,
          source: 'privatelink_2020-04-15.json GetVpcEndpointAttribute errorCodes 400',
        },
      },
    );
  },
};

export const PARITY_CASES: readonly ParityCase[] = [...reads, ...writes, endpoint];
