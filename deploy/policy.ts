import { CATALOG, type ActionDef, type ActionName } from '../shared/aliyun/catalog.ts';
import { PRODUCTS } from '../shared/aliyun/products.ts';
import { PRIVATELINK_SERVICE_NAME } from '../shared/steps/prerequisites.ts';
import { DEFAULT_EVENT_BUS } from '../shared/flow-render.ts';
import { BUS_DEPLOY_ACTIONS, INTAKE_RULE } from './eventbridge.ts';

/**
 * Least-privilege RAM policies, derived from the transport's action table: each role gets
 * exactly the actions its code calls (a test runs the functions end to end and holds these
 * lists to the calls they actually make, in both directions).
 */

/** What the step functions call (ECS, VPC, PrivateLink, PrivateZone), provisioning, drift and teardown. */
export const STEP_ACTIONS = [
  'CheckProductOpen',
  'DescribeUserServiceStatus',
  'DescribeVpcAttribute',
  'DescribeVSwitches',
  'DescribeSecurityGroups',
  'DescribeSecurityGroupAttribute',
  'CreateSecurityGroup',
  'AuthorizeSecurityGroup',
  'ListVpcEndpointServicesByEndUser',
  'ListVpcEndpoints',
  'ListVpcEndpointZones',
  'GetVpcEndpointAttribute',
  'CreateVpcEndpoint',
  'AddZoneToVpcEndpoint',
  'RemoveZoneFromVpcEndpoint',
  'TagResources',
  'DeleteVpcEndpoint',
  'DeleteSecurityGroup',
  'DescribeZones',
  'DescribeZoneInfo',
  'DescribeZoneRecords',
  'AddZone',
  'UpdateZoneRemark',
  'SetProxyPattern',
  'AddZoneRecord',
  'UpdateZoneRecord',
  'BindZoneVpc',
  'DeleteZoneRecord',
  'DeleteZone',
] as const satisfies readonly ActionName[];

/** What the API and event functions call (CloudFlow). */
export const ENTRY_ACTIONS = [
  'StartExecution',
  'DescribeExecution',
  'GetExecutionHistory',
  'ListExecutions',
] as const satisfies readonly ActionName[];

/** What CloudFlow itself does for the flow (its Task actions), on the flow's role. */
export const FLOW_ACTIONS = ['fc:InvokeFunction', 'eventbridge:PutEvents'] as const;

export interface RamPolicy {
  Version: '1';
  Statement: { Effect: 'Allow'; Action: string[]; Resource: string | string[]; Condition?: Record<string, Record<string, string>> }[];
}

/**
 * A fresh account lacks PrivateLink's service-linked role (CreateVpcEndpoint answers
 * CheckServiceLinkRoleError). The steps' role may create that one role and no other: RAM's
 * condition key `ram:ServiceName` restricts ram:CreateServiceLinkedRole to the named service
 * (RAM docs, "为RAM用户授予创建服务关联角色的权限",
 * https://help.aliyun.com/zh/ram/user-guide/service-linked-roles).
 */
export const SERVICE_LINKED_ROLE_STATEMENT = {
  Effect: 'Allow',
  Action: ['ram:CreateServiceLinkedRole'],
  Resource: '*',
  Condition: { StringEquals: { 'ram:ServiceName': PRIVATELINK_SERVICE_NAME } },
} as const satisfies RamPolicy['Statement'][number];

export const ramAction = (action: ActionName) => `${PRODUCTS[(CATALOG[action] as ActionDef).product].ram}:${action}`;

function policy(actions: readonly string[]): RamPolicy {
  return { Version: '1', Statement: [{ Effect: 'Allow', Action: [...new Set(actions)].sort(), Resource: '*' }] };
}

function withStatement(doc: RamPolicy, statement: RamPolicy['Statement'][number]): RamPolicy {
  return {
    ...doc,
    Statement: [...doc.Statement, { ...statement, Action: [...statement.Action], Condition: structuredClone(statement.Condition) }],
  };
}

/** Where the policies apply: the account, region and bus of the deployment (`*` where unknown). */
export interface PolicyScope {
  region?: string;
  accountId?: string;
  eventBus?: string;
}

/**
 * EventBridge resources as RAM names them: `acs:eventbridge:<region>:<account>:eventbus/<name>`
 * and `…/eventbus/<name>/rule/<rule>` (the metadata's EventBusARN and RuleARN, "事件规则的ARN，
 * 用于授权" — the rule's ARN, for authorisation; eventbridge 2020-04-01, GetEventBus/CreateRule).
 */
export const eventBusArn = (scope: PolicyScope) =>
  `acs:eventbridge:${scope.region ?? '*'}:${scope.accountId ?? '*'}:eventbus/${scope.eventBus ?? DEFAULT_EVENT_BUS}`;

/** The flow: invoke the step functions, and announce outcomes on zpl's bus only. */
function flowPolicy(scope: PolicyScope): RamPolicy {
  return {
    Version: '1',
    Statement: [
      { Effect: 'Allow', Action: ['fc:InvokeFunction'], Resource: '*' },
      { Effect: 'Allow', Action: ['eventbridge:PutEvents'], Resource: eventBusArn(scope) },
    ],
  };
}

/** Whoever runs `zpl deploy-bus`: look up and create zpl's bus, its intake rule and the rule's target. */
function busDeployPolicy(scope: PolicyScope): RamPolicy {
  const bus = eventBusArn(scope);
  return {
    Version: '1',
    Statement: [{ Effect: 'Allow', Action: [...BUS_DEPLOY_ACTIONS].sort(), Resource: [bus, `${bus}/rule/${INTAKE_RULE}`] }],
  };
}

/** The three roles (step functions, entry functions, the flow) and the deploy step's policy. */
export function ramPolicies(scope: PolicyScope = {}): Record<'zpl-steps' | 'zpl-entry' | 'zpl-flow' | 'zpl-deploy-bus', RamPolicy> {
  return {
    'zpl-steps': withStatement(policy(STEP_ACTIONS.map(ramAction)), SERVICE_LINKED_ROLE_STATEMENT),
    'zpl-entry': policy(ENTRY_ACTIONS.map(ramAction)),
    'zpl-flow': flowPolicy(scope),
    'zpl-deploy-bus': busDeployPolicy(scope),
  };
}
