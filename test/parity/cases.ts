import { zillizRegionId, type Region } from '../../shared/regions.ts';
import type { Product } from '../../shared/aliyun/products.ts';
import type { StructuredParams } from '../../shared/aliyun/wire-params.ts';
import type { CallOptions, CaseContext, Sandbox } from './context.ts';
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

/** Each product's metadata file (test/reference/aliyun-openapi-meta/), by the actions the cases declare codes for. */
const META_FILES: Record<string, string> = {
  DescribeSecurityGroupAttribute: 'ecs_2014-05-26.json',
  AuthorizeSecurityGroup: 'ecs_2014-05-26.json',
  RevokeSecurityGroup: 'ecs_2014-05-26.json',
  GetVpcEndpointAttribute: 'privatelink_2020-04-15.json',
  DeleteVpcEndpoint: 'privatelink_2020-04-15.json',
  DescribeZoneInfo: 'pvtz_2018-01-01.json',
};
/** A code the metadata lists for the action at that HTTP status (test/parity.test.ts holds each to the file). */
const listedCode = (action: string, code: string, httpStatus: number): CallOptions => ({
  declared: { code, httpStatus, source: `${META_FILES[action]} ${action} errorCodes ${httpStatus}` },
});
/** What the case did not make differs between accounts: its shape is compared, not its status words. */
const SHAPE_ONLY: CallOptions = { compareLiterals: false };
const region = (ctx: CaseContext) => ({ RegionId: ctx.sandbox.region });
const parityTag = (ctx: CaseContext) => ({ Key: PARITY_TAG_KEY, Value: ctx.runId });
/** TEST-NET-1 (RFC 5737): a rule source that reaches nothing. */
const DOC_CIDR = '192.0.2.0/24';

/** One recorded call: label, product, action, its parameters in the sandbox, and what is compared or declared. */
type Call = [label: string, product: Product, action: string, params: (sandbox: Sandbox) => StructuredParams, opts?: CallOptions];

/** A read-only case: its calls, one after another. */
const readCase = (id: string, title: string, calls: Call[]): ParityCase => ({
  id,
  title,
  needs: 'read',
  run: async (ctx) => {
    for (const [label, product, action, params, opts] of calls) await ctx.alibaba(label, product, action, params(ctx.sandbox), opts);
  },
});

const inRegion = (s: Sandbox) => ({ RegionId: s.region });
const inVpc = (s: Sandbox) => ({ RegionId: s.region, VpcId: s.vpcId });

const reads: ParityCase[] = [
  readCase('ecs.security-group.unknown', 'ECS: describing a security group that does not exist', [
    [
      'describe sg-nonexistent',
      'Ecs',
      'DescribeSecurityGroupAttribute',
      (s) => ({ ...inRegion(s), SecurityGroupId: 'sg-nonexistent' }),
      listedCode('DescribeSecurityGroupAttribute', 'InvalidSecurityGroupId.NotFound', 404),
    ],
  ]),
  readCase('ecs.security-groups.sandbox', "ECS: the sandbox VPC's security groups", [
    ['list by VPC', 'Ecs', 'DescribeSecurityGroups', (s) => ({ ...inVpc(s), MaxResults: 10 }), SHAPE_ONLY],
  ]),
  readCase('vpc.sandbox', 'VPC: the sandbox VPC and its vSwitches', [
    [
      'describe the VPC',
      'Vpc',
      'DescribeVpcAttribute',
      inVpc,
      {
        declared: {
          literals: { '$.Status': 'Available' },
          source: 'vpc_2016-04-28.json DescribeVpcAttribute Status (Available | Pending)',
        },
      },
    ],
    ['its vSwitches', 'Vpc', 'DescribeVSwitches', (s) => ({ ...inVpc(s), PageSize: 50 }), SHAPE_ONLY],
  ]),
  readCase('privatelink.account', "PrivateLink: activation and the sandbox VPC's endpoints", [
    [
      'activated',
      'Privatelink',
      'CheckProductOpen',
      () => ({}),
      { declared: { literals: { '$.Success': 'true' }, source: 'privatelink_2020-04-15.json CheckProductOpen Success ("仅取值：true")' } },
    ],
    ['endpoints of the VPC', 'Privatelink', 'ListVpcEndpoints', inVpc, SHAPE_ONLY],
    ['services visible', 'Privatelink', 'ListVpcEndpointServicesByEndUser', (s) => ({ ...inRegion(s), MaxResults: 50 }), SHAPE_ONLY],
  ]),
  readCase('privatelink.bad-requests', 'PrivateLink: an unknown endpoint, a page size out of range', [
    [
      'get ep-nonexistent',
      'Privatelink',
      'GetVpcEndpointAttribute',
      (s) => ({ ...inRegion(s), EndpointId: 'ep-nonexistent' }),
      listedCode('GetVpcEndpointAttribute', 'EndpointNotFound', 400),
    ],
    // MaxResults "取值范围：1~50" (metadata description); the gateway's code for a value out of range is unverified (README).
    ['MaxResults 1001', 'Privatelink', 'ListVpcEndpoints', (s) => ({ ...inRegion(s), MaxResults: 1001 })],
  ]),
  readCase('pvtz.account', 'PrivateZone: service status and the zones bound to the sandbox VPC', [
    [
      'service status',
      'pvtz',
      'DescribeUserServiceStatus',
      () => ({}),
      {
        declared: {
          literals: { '$.Status': 'OPENED' },
          source: 'alibabacloud-java-sdk pvtz-20180101 DescribeUserServiceStatusResponseBody (not in the metadata)',
        },
      },
    ],
    [
      'zones bound to the VPC',
      'pvtz',
      'DescribeZones',
      (s) => ({ QueryVpcId: s.vpcId, QueryRegionId: s.region, PageSize: 100 }),
      SHAPE_ONLY,
    ],
  ]),
  readCase('pvtz.zone.unknown', 'PrivateZone: a zone that does not exist', [
    [
      'describe an unknown zone',
      'pvtz',
      'DescribeZoneInfo',
      () => ({ ZoneId: 'nonexistent' }),
      listedCode('DescribeZoneInfo', 'Zone.NotExists', 400),
    ],
  ]),
  {
    id: 'zilliz.project',
    title: "Zilliz: the cluster, an unknown cluster, the project's endpoints and the region's endpoint services",
    needs: 'read',
    zilliz: true,
    run: async (ctx) => {
      const { projectId, clusterId } = ctx.sandbox;
      // The cluster's status and plan are the account's own, not the vendor's contract: its shape is compared.
      await ctx.zilliz('describe the cluster', 'describeCluster', (z) => z.describeCluster(clusterId!), SHAPE_ONLY);
      await ctx.zilliz('describe an unknown cluster', 'describeCluster', (z) => z.describeCluster('in01-0000000000000000'), {
        declared: { code: '96018', source: 'docs.zilliz.com "Error Codes (v2)": 96018 cluster not found' },
      });
      await ctx.zilliz('private endpoints', 'listEndpoints', (z) => z.listEndpoints(projectId!), SHAPE_ONLY);
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
        listedCode('DescribeSecurityGroupAttribute', 'InvalidNicType.ValueNotSupported', 400),
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
        listedCode('AuthorizeSecurityGroup', 'InvalidPortRange.Malformed', 400),
      );
      // Since 2024-07-08 an unknown rule ID is InvalidParam.SecurityGroupRuleId (the ECS docs; the emulator's ecs/revoke.ts).
      await ctx.alibaba(
        'revoke an unknown rule',
        'Ecs',
        'RevokeSecurityGroup',
        { ...region(ctx), SecurityGroupId: id, SecurityGroupRuleId: ['sgr-nonexistent'] },
        listedCode('RevokeSecurityGroup', 'InvalidParam.SecurityGroupRuleId', 400),
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
        listedCode('DescribeSecurityGroupAttribute', 'InvalidSecurityGroupId.NotFound', 404),
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
        listedCode('DescribeZoneInfo', 'Zone.NotExists', 400),
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
    // "删除终端节点之前，请先删除终端节点中已添加的可用区" (metadata, DeleteVpcEndpoint).
    await ctx.alibaba(
      'delete while zones remain',
      'Privatelink',
      'DeleteVpcEndpoint',
      { ...region(ctx), EndpointId: id },
      listedCode('DeleteVpcEndpoint', 'EndpointDependenceViolation', 400),
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
      listedCode('GetVpcEndpointAttribute', 'EndpointNotFound', 400),
    );
  },
};

export const PARITY_CASES: readonly ParityCase[] = [...reads, ...writes, endpoint];
