import { CATALOG, type ActionDef, type ActionName } from '../shared/aliyun/catalog.ts';
import { PRODUCTS } from '../shared/aliyun/products.ts';
import { PRIVATELINK_SERVICE_NAME } from '../shared/steps/prerequisites.ts';

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
export const ENTRY_ACTIONS = ['StartExecution', 'DescribeExecution', 'GetExecutionHistory', 'ListExecutions'] as const satisfies readonly ActionName[];

/** What CloudFlow itself does for the flow (its Task actions), on the flow's role. */
export const FLOW_ACTIONS = ['fc:InvokeFunction', 'eventbridge:PutEvents'] as const;

export interface RamPolicy {
  Version: '1';
  Statement: { Effect: 'Allow'; Action: string[]; Resource: string; Condition?: Record<string, Record<string, string>> }[];
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
  return { ...doc, Statement: [...doc.Statement, { ...statement, Action: [...statement.Action], Condition: structuredClone(statement.Condition) }] };
}

/** The three roles: step functions, entry functions (API, events), and the flow. */
export function ramPolicies(): Record<'zpl-steps' | 'zpl-entry' | 'zpl-flow', RamPolicy> {
  return {
    'zpl-steps': withStatement(policy(STEP_ACTIONS.map(ramAction)), SERVICE_LINKED_ROLE_STATEMENT),
    'zpl-entry': policy(ENTRY_ACTIONS.map(ramAction)),
    'zpl-flow': policy(FLOW_ACTIONS),
  };
}
