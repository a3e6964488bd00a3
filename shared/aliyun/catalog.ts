import * as z from 'zod';
import type { Product } from './products.ts';

/**
 * The one table of Alibaba Cloud actions the product calls: request parameters (names exactly
 * as on the wire, requiredness, types, list shapes), the response fields the code reads
 * (validated with zod, so a wire change fails loudly) and the RAM action to grant.
 * The transport, the emulator's parameter checks and the RAM policy all come from here; a test
 * cross-checks it against the official OpenAPI metadata.
 */

export type Scalar = 'string' | 'integer' | 'boolean';

export type ParamDef =
  /** `in: 'body'`: sent in the form body (the metadata's `formData`); otherwise in the query. */
  | { name: string; type: Scalar; required?: boolean; in?: 'body' }
  /** `Name.1`, `Name.2`, … */
  | { name: string; type: 'list'; items: Scalar; required?: boolean; max?: number; in?: 'body' }
  /** `Name.1.Field`, … */
  | { name: string; type: 'objectList'; fields: Record<string, Scalar>; required?: boolean; max?: number; in?: 'body' }
  /** One parameter holding a JSON document (the metadata's `style: json`, e.g. EventBridge's `Targets`). */
  | { name: string; type: 'json'; required?: boolean; in?: 'body' };

export interface ActionDef {
  product: Product;
  /** The HTTP method the API accepts; POST unless the metadata allows only GET. */
  method?: 'GET' | 'POST';
  params: ParamDef[];
  response: z.ZodObject;
  /** Changes state in the cloud (drives fault tests and the read/write split of the RAM policy). */
  write: boolean;
  /**
   * Set only for an action the official OpenAPI metadata does not list: the vendor SDK file its
   * parameters and response come from. Such an action has no entry in the emulator's
   * constraints.json (nothing is stated as data about it) and the metadata cross-checks pass it by.
   */
  notInMetadata?: string;
}

const str = (name: string, required = false): ParamDef => ({ name, type: 'string', required });
const int = (name: string, required = false): ParamDef => ({ name, type: 'integer', required });
const bool = (name: string, required = false): ParamDef => ({ name, type: 'boolean', required });
const form = (name: string, required = false): ParamDef => ({ name, type: 'string', required, in: 'body' });
const list = (name: string, items: Scalar, max?: number): ParamDef => ({ name, type: 'list', items, max });
const json = (name: string, required = false): ParamDef => ({ name, type: 'json', required });
const objects = (name: string, fields: Record<string, Scalar>, max?: number): ParamDef => ({ name, type: 'objectList', fields, max });

const Region = str('RegionId', true);
const ClientToken = str('ClientToken');
const DryRun = bool('DryRun');
const TagFilter = objects('Tag', { Key: 'string', Value: 'string' }, 20);

// Responses list only what the code reads; unknown fields pass through.
const requestOnly = z.object({ RequestId: z.string() });
const tagList = z.array(z.object({ Key: z.string(), Value: z.string() }));

/** EventBridge's envelope: `Code`, `Success`, `Message` beside `Data` (absent when Code is an error). */
const ebAnswer = <T extends z.ZodObject>(data: T) =>
  z.object({
    RequestId: z.string(),
    Code: z.string().optional(),
    Success: z.boolean().optional(),
    Message: z.string().optional(),
    Data: data.optional(),
  });

const endpointSummary = z.object({
  EndpointId: z.string(),
  EndpointName: z.string().optional(),
  EndpointStatus: z.string(),
  ConnectionStatus: z.string(),
  EndpointDomain: z.string(),
  ServiceId: z.string(),
  ServiceName: z.string(),
  VpcId: z.string(),
});

const pvtzZone = z.object({
  ZoneId: z.string(),
  ZoneName: z.string(),
  ProxyPattern: z.string(),
  RecordCount: z.number(),
  Remark: z.string().optional(),
});

const pvtzRecord = z.object({
  RecordId: z.number(),
  Rr: z.string(),
  Type: z.string(),
  Value: z.string(),
  Ttl: z.number(),
  Status: z.string(),
  Remark: z.string().optional(),
});

const sgRule = z.object({
  IpProtocol: z.string(),
  PortRange: z.string(),
  SourceCidrIp: z.string(),
  Policy: z.string(),
  Direction: z.string(),
  NicType: z.string(),
  Priority: z.string(),
  Description: z.string().optional(),
});

const paging = { PageNumber: z.number(), PageSize: z.number() };

const flow = z.object({
  RequestId: z.string(),
  Name: z.string(),
  Definition: z.string(),
  Description: z.string().optional(),
  Type: z.string().optional(),
  LastModifiedTime: z.string().optional(),
});

const execution = z.object({
  RequestId: z.string(),
  Name: z.string(),
  FlowName: z.string(),
  Status: z.string(),
  Input: z.string().optional(),
  Output: z.string().optional(),
  StartedTime: z.string(),
  StoppedTime: z.string().optional(),
});

export const CATALOG = {
  // ── PrivateLink (bare arrays) ───────────────────────────────────────────────────────────
  ListVpcEndpointServicesByEndUser: {
    product: 'Privatelink',
    write: false,
    params: [Region, str('ServiceId'), str('ServiceName'), str('NextToken'), int('MaxResults')],
    response: z.object({
      RequestId: z.string(),
      NextToken: z.string().optional(),
      Services: z.array(
        z.object({ ServiceId: z.string(), ServiceName: z.string(), ServiceDomain: z.string(), Zones: z.array(z.string()) }),
      ),
    }),
  },
  CreateVpcEndpoint: {
    product: 'Privatelink',
    write: true,
    params: [
      Region,
      str('VpcId', true),
      ClientToken,
      DryRun,
      str('EndpointName'),
      str('EndpointType'),
      str('EndpointDescription'),
      str('ServiceId'),
      str('ServiceName'),
      list('SecurityGroupId', 'string', 10),
      objects('Zone', { ZoneId: 'string', VSwitchId: 'string', ip: 'string' }, 10),
      objects('Tag', { Key: 'string', Value: 'string' }, 21),
      int('ZonePrivateIpAddressCount'),
    ],
    response: z.object({
      RequestId: z.string(),
      EndpointId: z.string(),
      EndpointDomain: z.string(),
      EndpointStatus: z.string(),
      ConnectionStatus: z.string(),
    }),
  },
  GetVpcEndpointAttribute: {
    product: 'Privatelink',
    write: false,
    params: [Region, str('EndpointId', true)],
    response: endpointSummary.extend({ RequestId: z.string() }),
  },
  ListVpcEndpoints: {
    product: 'Privatelink',
    write: false,
    params: [
      Region,
      str('EndpointId'),
      str('EndpointName'),
      str('VpcId'),
      str('ServiceName'),
      str('NextToken'),
      int('MaxResults'),
      TagFilter,
    ],
    response: z.object({
      RequestId: z.string(),
      NextToken: z.string().optional(),
      Endpoints: z.array(endpointSummary.extend({ Tags: tagList.optional() })),
    }),
  },
  ListVpcEndpointZones: {
    product: 'Privatelink',
    write: false,
    params: [Region, str('EndpointId', true), str('NextToken'), int('MaxResults')],
    response: z.object({
      RequestId: z.string(),
      NextToken: z.string().optional(),
      Zones: z.array(
        z.object({ ZoneId: z.string(), ZoneStatus: z.string(), ZoneDomain: z.string(), EniIp: z.string(), VSwitchId: z.string() }),
      ),
    }),
  },
  TagResources: {
    product: 'Privatelink',
    write: true,
    params: [
      { name: 'RegionId', type: 'string', required: true, in: 'body' },
      { name: 'ResourceId', type: 'list', items: 'string', required: true, max: 50, in: 'body' },
      { name: 'ResourceType', type: 'string', required: true, in: 'body' },
      { name: 'Tag', type: 'objectList', fields: { Key: 'string', Value: 'string' }, required: true, max: 20, in: 'body' },
      { name: 'ClientToken', type: 'string', in: 'body' },
    ],
    response: requestOnly,
  },
  AddZoneToVpcEndpoint: {
    product: 'Privatelink',
    write: true,
    params: [Region, str('EndpointId', true), str('ZoneId', true), str('VSwitchId', true), str('ip'), ClientToken, DryRun],
    response: requestOnly,
  },
  RemoveZoneFromVpcEndpoint: {
    product: 'Privatelink',
    write: true,
    params: [Region, str('EndpointId', true), str('ZoneId', true), ClientToken, DryRun],
    response: requestOnly,
  },
  DeleteVpcEndpoint: {
    product: 'Privatelink',
    write: true,
    params: [Region, str('EndpointId', true), ClientToken, DryRun],
    response: requestOnly,
  },

  /**
   * Whether PrivateLink is activated for the account. No parameters, not even RegionId
   * (privatelink_2020-04-15.json CheckProductOpen: `parameters: []`); `Success` "仅取值：**true**，
   * 表示开通" and errorCodes["400"] `NeedOpenProduct` "The product is not activated.".
   */
  CheckProductOpen: {
    product: 'Privatelink',
    write: false,
    params: [],
    response: z.object({ RequestId: z.string(), Success: z.boolean().optional() }),
  },

  // ── PrivateZone (wrapped arrays; one global endpoint) ─────────────────────────────────
  /**
   * PrivateZone's activation state for the account. Not in the official metadata (pvtz 2018-01-01
   * api-docs.json lists no such action); from the official SDK: aliyun/alibabacloud-java-sdk
   * pvtz-20180101 models DescribeUserServiceStatusRequest (Lang, UserClientIp, both optional) and
   * DescribeUserServiceStatusResponseBody (`Status`: CLOSED not activated, OPENED, IN_DEBT overdue
   * payment, IN_DEBT_OVER_DUE suspended for overdue payment).
   */
  DescribeUserServiceStatus: {
    product: 'pvtz',
    write: false,
    params: [str('Lang')],
    response: z.object({ RequestId: z.string(), Status: z.string() }),
    notInMetadata:
      'aliyun/alibabacloud-java-sdk pvtz-20180101/src/main/java/com/aliyun/pvtz20180101/models/DescribeUserServiceStatusResponseBody.java',
  },
  DescribeZones: {
    product: 'pvtz',
    write: false,
    params: [str('Keyword'), str('SearchMode'), str('QueryVpcId'), str('QueryRegionId'), int('PageNumber'), int('PageSize'), str('Lang')],
    response: z.object({ RequestId: z.string(), TotalItems: z.number(), ...paging, Zones: z.object({ Zone: z.array(pvtzZone) }) }),
  },
  AddZone: {
    product: 'pvtz',
    write: true,
    params: [str('ZoneName'), str('ProxyPattern'), ClientToken, str('Lang')],
    response: z.object({ RequestId: z.string(), ZoneId: z.string(), ZoneName: z.string() }),
  },
  DescribeZoneInfo: {
    product: 'pvtz',
    write: false,
    params: [str('ZoneId', true), str('Lang')],
    response: pvtzZone.extend({
      RequestId: z.string(),
      // VpcType and VpcUserId (int64, null = the caller's own VPC): DescribeZoneInfo BindVpcs.Vpc, pvtz metadata.
      BindVpcs: z.object({
        Vpc: z.array(
          z.object({
            VpcId: z.string(),
            RegionId: z.string(),
            VpcType: z.string().optional(),
            VpcUserId: z.union([z.number(), z.string()]).nullable().optional(),
          }),
        ),
      }),
    }),
  },
  UpdateZoneRemark: {
    product: 'pvtz',
    write: true,
    params: [str('ZoneId', true), str('Remark'), ClientToken],
    response: requestOnly,
  },
  SetProxyPattern: {
    product: 'pvtz',
    write: true,
    params: [str('ZoneId', true), str('ProxyPattern', true), ClientToken],
    response: requestOnly,
  },
  AddZoneRecord: {
    product: 'pvtz',
    write: true,
    params: [
      str('ZoneId', true),
      str('Rr', true),
      str('Type', true),
      str('Value', true),
      int('Ttl'),
      str('Remark'),
      ClientToken,
      str('Lang'),
    ],
    response: z.object({ RequestId: z.string(), RecordId: z.number() }),
  },
  DescribeZoneRecords: {
    product: 'pvtz',
    write: false,
    params: [str('ZoneId', true), str('Keyword'), str('SearchMode'), int('PageNumber'), int('PageSize'), str('Lang')],
    response: z.object({ RequestId: z.string(), TotalItems: z.number(), ...paging, Records: z.object({ Record: z.array(pvtzRecord) }) }),
  },
  UpdateZoneRecord: {
    product: 'pvtz',
    write: true,
    params: [int('RecordId', true), str('Rr', true), str('Type', true), str('Value', true), int('Ttl'), ClientToken],
    response: requestOnly,
  },
  SetZoneRecordStatus: {
    product: 'pvtz',
    write: true,
    params: [int('RecordId', true), str('Status', true), ClientToken],
    response: requestOnly,
  },
  DeleteZoneRecord: {
    product: 'pvtz',
    write: true,
    params: [int('RecordId', true), ClientToken],
    response: requestOnly,
  },
  BindZoneVpc: {
    product: 'pvtz',
    write: true,
    params: [str('ZoneId', true), objects('Vpcs', { RegionId: 'string', VpcId: 'string', VpcType: 'string' }), ClientToken],
    response: requestOnly,
  },
  DeleteZone: {
    product: 'pvtz',
    write: true,
    params: [str('ZoneId', true), ClientToken],
    response: requestOnly,
  },

  // ── ECS security groups (wrapped arrays) ──────────────────────────────────────────────
  CreateSecurityGroup: {
    product: 'Ecs',
    write: true,
    params: [
      Region,
      str('VpcId'),
      str('SecurityGroupName'),
      str('Description'),
      str('SecurityGroupType'),
      ClientToken,
      objects('Tag', { Key: 'string', Value: 'string' }, 20),
    ],
    response: z.object({ RequestId: z.string(), SecurityGroupId: z.string() }),
  },
  AuthorizeSecurityGroup: {
    product: 'Ecs',
    write: true,
    params: [
      Region,
      str('SecurityGroupId', true),
      ClientToken,
      objects(
        'Permissions',
        {
          IpProtocol: 'string',
          PortRange: 'string',
          SourceCidrIp: 'string',
          Policy: 'string',
          Priority: 'string',
          NicType: 'string',
          Description: 'string',
        },
        100,
      ),
      // Deprecated single-rule fields: known so they can be refused when mixed with Permissions.
      str('IpProtocol'),
      str('PortRange'),
      str('SourceCidrIp'),
      str('Policy'),
      str('Priority'),
      str('NicType'),
      str('Description'),
    ],
    response: requestOnly,
  },
  DescribeSecurityGroupAttribute: {
    product: 'Ecs',
    write: false,
    params: [Region, str('SecurityGroupId', true), str('Direction'), str('NicType')],
    response: z.object({
      RequestId: z.string(),
      SecurityGroupId: z.string(),
      VpcId: z.string(),
      Permissions: z.object({ Permission: z.array(sgRule) }),
    }),
  },
  DescribeSecurityGroups: {
    product: 'Ecs',
    write: false,
    params: [
      Region,
      str('VpcId'),
      str('SecurityGroupId'),
      str('SecurityGroupIds'),
      str('SecurityGroupName'),
      objects('Tag', { Key: 'string', Value: 'string' }, 20),
      // The product pages with NextToken/MaxResults; PageNumber/PageSize ("即将下线") stay known for the emulator.
      str('NextToken'),
      int('MaxResults'),
      int('PageNumber'),
      int('PageSize'),
    ],
    // No TotalCount/PageNumber/PageSize: whether a NextToken-paged answer carries them is not documented.
    response: z.object({
      RequestId: z.string(),
      NextToken: z.string().optional(),
      SecurityGroups: z.object({
        SecurityGroup: z.array(
          z.object({
            SecurityGroupId: z.string(),
            SecurityGroupName: z.string(),
            VpcId: z.string(),
            Tags: z.object({ Tag: z.array(z.object({ TagKey: z.string(), TagValue: z.string() })) }),
          }),
        ),
      }),
    }),
  },
  DeleteSecurityGroup: {
    product: 'Ecs',
    write: true,
    params: [Region, str('SecurityGroupId', true)],
    response: requestOnly,
  },

  // ── VPC reads (wrapped arrays) ────────────────────────────────────────────────────────
  DescribeVpcAttribute: {
    product: 'Vpc',
    write: false,
    params: [Region, str('VpcId', true)],
    response: z.object({
      RequestId: z.string(),
      VpcId: z.string(),
      Status: z.string(),
      CidrBlock: z.string(),
      SecondaryCidrBlocks: z.object({ SecondaryCidrBlock: z.array(z.string()) }),
    }),
  },
  DescribeVSwitches: {
    product: 'Vpc',
    write: false,
    params: [str('RegionId'), str('VpcId'), str('ZoneId'), str('VSwitchId'), int('PageNumber'), int('PageSize')],
    response: z.object({
      RequestId: z.string(),
      TotalCount: z.number(),
      ...paging,
      VSwitches: z.object({
        VSwitch: z.array(
          z.object({
            VSwitchId: z.string(),
            VpcId: z.string(),
            ZoneId: z.string(),
            CidrBlock: z.string(),
            Status: z.string(),
            AvailableIpAddressCount: z.number(),
          }),
        ),
      }),
    }),
  },

  // ── CloudFlow (FnF): the same transport starts and watches executions ──────────────────
  CreateFlow: {
    product: 'fnf',
    write: true,
    params: [
      form('Name', true),
      form('Definition', true),
      form('Description', true),
      form('Type', true),
      form('RoleArn'),
      form('ExecutionMode'),
    ],
    response: flow,
  },
  UpdateFlow: {
    product: 'fnf',
    write: true,
    params: [form('Name', true), form('Definition'), form('Description'), form('Type'), form('RoleArn')],
    response: flow,
  },
  DescribeFlow: {
    product: 'fnf',
    method: 'GET',
    write: false,
    params: [str('Name', true)],
    response: flow,
  },
  ListFlows: {
    product: 'fnf',
    method: 'GET',
    write: false,
    params: [str('NextToken'), int('Limit')],
    response: z.object({ RequestId: z.string(), NextToken: z.string().optional(), Flows: z.array(flow.omit({ RequestId: true })) }),
  },
  StartExecution: {
    product: 'fnf',
    write: true,
    params: [form('FlowName', true), form('ExecutionName'), form('Input'), form('CallbackFnFTaskToken')],
    response: execution,
  },
  DescribeExecution: {
    product: 'fnf',
    method: 'GET',
    write: false,
    params: [str('FlowName', true), str('ExecutionName', true), int('WaitTimeSeconds')],
    response: execution,
  },
  GetExecutionHistory: {
    product: 'fnf',
    method: 'GET',
    write: false,
    params: [str('FlowName', true), str('ExecutionName', true), str('NextToken'), int('Limit')],
    response: z.object({
      RequestId: z.string(),
      NextToken: z.string().optional(),
      Events: z.array(
        z.object({ EventId: z.number(), StepName: z.string(), Type: z.string(), Time: z.string(), EventDetail: z.string().optional() }),
      ),
    }),
  },
  ListExecutions: {
    product: 'fnf',
    method: 'GET',
    write: false,
    params: [str('FlowName', true), str('NextToken'), int('Limit'), str('Status'), str('ExecutionNamePrefix')],
    response: z.object({
      RequestId: z.string(),
      NextToken: z.string().optional(),
      Executions: z.array(execution.omit({ RequestId: true })),
    }),
  },
  StopExecution: {
    product: 'fnf',
    write: true,
    params: [form('FlowName', true), form('ExecutionName', true), form('Cause'), form('Error')],
    response: execution,
  },
  ReportTaskSucceeded: {
    product: 'fnf',
    write: true,
    params: [str('TaskToken', true), form('Output', true)],
    response: z.object({ RequestId: z.string(), EventId: z.number() }),
  },
  ReportTaskFailed: {
    product: 'fnf',
    write: true,
    params: [str('TaskToken', true), form('Error', true), form('Cause')],
    response: z.object({ RequestId: z.string(), EventId: z.number() }),
  },

  // ── EventBridge 2020-04-01: the deploy step's bus, rule and target (deploy/eventbridge.ts) ──
  // Answers carry `Code` ("Success" or an error code such as EventBusNotExist / EventRuleNotExisted)
  // and `Success`; the Terraform provider reads a not-found both from an error and from a 200
  // answer's Code (terraform-provider-alicloud alicloud/service_alicloud_event_bridge.go), so both
  // stay optional here and deploy/eventbridge-answer.ts decides.
  CreateEventBus: {
    product: 'eventbridge',
    write: true,
    params: [str('EventBusName', true), str('Description')],
    response: ebAnswer(z.object({ EventBusARN: z.string().optional() })),
  },
  GetEventBus: {
    product: 'eventbridge',
    write: false,
    params: [str('EventBusName', true)],
    response: ebAnswer(z.object({ EventBusName: z.string(), EventBusARN: z.string().optional() })),
  },
  CreateRule: {
    product: 'eventbridge',
    write: true,
    params: [
      str('EventBusName', true),
      str('RuleName', true),
      str('FilterPattern', true),
      str('Status'),
      str('Description'),
      json('EventTargets'),
    ],
    response: ebAnswer(z.object({ RuleARN: z.string().optional() })),
  },
  GetRule: {
    product: 'eventbridge',
    write: false,
    params: [str('EventBusName', true), str('RuleName', true)],
    response: ebAnswer(
      z.object({
        RuleName: z.string(),
        FilterPattern: z.string(),
        Status: z.string(),
        Targets: z.array(z.object({ Id: z.string(), Type: z.string(), Endpoint: z.string().optional() })).optional(),
      }),
    ),
  },
  PutTargets: {
    product: 'eventbridge',
    write: true,
    params: [str('EventBusName', true), str('RuleName', true), json('Targets', true)],
    response: ebAnswer(
      z.object({
        ErrorEntriesCount: z.number().optional(),
        ErrorEntries: z
          .array(z.object({ EntryId: z.string().optional(), ErrorCode: z.string().optional(), ErrorMessage: z.string().optional() }))
          .optional(),
      }),
    ),
  },
} satisfies Record<string, ActionDef>;

export type ActionName = keyof typeof CATALOG;
export type ActionResponse<A extends ActionName> = z.infer<(typeof CATALOG)[A]['response']>;

export const actionNames = Object.keys(CATALOG) as ActionName[];

export function actionDef(action: string): ActionDef | undefined {
  return Object.hasOwn(CATALOG, action) ? (CATALOG as Record<string, ActionDef>)[action] : undefined;
}
