import type { ActionName } from '../shared/aliyun/catalog.ts';
import { PRODUCTS, type Product } from '../shared/aliyun/products.ts';
import { MANAGED_BY, TAG } from '../shared/derived.ts';
import { PRIVATELINK_SERVICE_NAME } from '../shared/steps/prerequisites.ts';
import { DEFAULT_EVENT_BUS } from '../shared/flow-render.ts';
import { BUS_DEPLOY_ACTIONS, INTAKE_RULE } from './eventbridge.ts';

/**
 * Least-privilege RAM policies, derived from the transport's action table: each role gets
 * exactly the actions its code calls (a test runs the functions end to end and holds these
 * lists to the calls they actually make, in both directions).
 */

/** Catalog actions named by product (an action name alone is not unique: ECS and PrivateLink both have TagResources). */
export type ProductActions = { readonly [P in Product]?: readonly ActionName<P>[] };

/** What the step functions call (ECS, VPC, PrivateLink, PrivateZone, STS), provisioning, drift and teardown. */
export const STEP_ACTIONS = {
  Privatelink: [
    'CheckProductOpen',
    'ListVpcEndpointServicesByEndUser',
    'ListVpcEndpoints',
    'ListVpcEndpointZones',
    'GetVpcEndpointAttribute',
    'CreateVpcEndpoint',
    'ListVpcEndpointSecurityGroups',
    'AddZoneToVpcEndpoint',
    'RemoveZoneFromVpcEndpoint',
    'TagResources',
    'UntagResources',
    'DeleteVpcEndpoint',
  ],
  pvtz: [
    'DescribeUserServiceStatus',
    'DescribeZones',
    'DescribeZoneInfo',
    'DescribeZoneRecords',
    'AddZone',
    'UpdateZoneRemark',
    'SetProxyPattern',
    'AddZoneRecord',
    'UpdateZoneRecord',
    'UpdateRecordRemark',
    'BindZoneVpc',
    'DeleteZoneRecord',
    'DeleteZone',
  ],
  Vpc: ['DescribeVpcAttribute', 'DescribeVSwitches'],
  Ecs: [
    'DescribeSecurityGroups',
    'DescribeSecurityGroupAttribute',
    'CreateSecurityGroup',
    'AuthorizeSecurityGroup',
    'RevokeSecurityGroup',
    'TagResources',
    'UntagResources',
    'DeleteSecurityGroup',
  ],
  Sts: ['GetCallerIdentity'],
} as const satisfies ProductActions;

/**
 * Actions RAM does not authorise, so no policy names them: STS GetCallerIdentity's API reference
 * lists no RAM action ("授权信息：当前API暂无授权信息透出", https://help.aliyun.com/document_detail/43767.html;
 * "RAM authorization: there is no authorization for this operation",
 * https://www.alibabacloud.com/help/en/ram/developer-reference/api-sts-2015-04-01-getcalleridentity).
 * Unverified (README): a refusal stops Validate as `Account.Unverified` naming the grant to add.
 */
export const UNAUTHORIZED_ACTIONS = { Sts: ['GetCallerIdentity'] } as const satisfies ProductActions;

/** Whether a policy must grant the action for the code to call it. */
export const needsGrant = (product: Product, action: string): boolean =>
  !(UNAUTHORIZED_ACTIONS as ProductActions)[product]?.some((a) => a === action);

/**
 * The step actions that remove something from a security group, granted only on groups carrying
 * zpl's ownership tag: RAM's `acs:ResourceTag/<tag-key>` condition key is "the tag information
 * attached to the requested resource" (https://www.alibabacloud.com/help/en/ram/use-cases/use-tags-to-control-access-to-ecs-resources-1;
 * ECS's own guide to tag-based authentication: https://www.alibabacloud.com/help/en/ecs/user-guide/implement-fine-grained-access-control-by-using-tags).
 * Whether ECS evaluates it for these three actions on security groups could not be confirmed
 * (the tag console lists per resource type whether tag-based authentication is supported): the
 * README's unverified list says what then happens. TagResources stays unconditioned, since a
 * create's own tags may be authorised through it; PrivateLink's deletes stay unconditioned: no
 * tag condition key is documented for its endpoints.
 */
export const OWNED_ONLY = { Ecs: ['RevokeSecurityGroup', 'UntagResources', 'DeleteSecurityGroup'] } as const satisfies ProductActions;

/** The condition that limits OWNED_ONLY to zpl's resources (the tag every zpl resource is created with). */
export const OWNED_CONDITION = { StringEquals: { [`acs:ResourceTag/${TAG.managedBy}`]: MANAGED_BY } };

/** What the API and event functions call (CloudFlow). */
export const ENTRY_ACTIONS = {
  fnf: ['StartExecution', 'DescribeExecution', 'GetExecutionHistory', 'ListExecutions'],
} as const satisfies ProductActions;

/** Each action of a list with its product. */
export const actionPairs = (actions: ProductActions): [Product, string][] =>
  (Object.entries(actions) as [Product, readonly string[]][]).flatMap(([product, names]) =>
    names.map((action): [Product, string] => [product, action]),
  );

/** What CloudFlow itself does for the flow (its Task actions), on the flow's role (RAM names, which carry the service). */
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

/** The RAM action of a catalog action: the product's RAM service code, then the action (`ecs:TagResources`). */
export const ramAction = <P extends Product>(product: P, action: ActionName<P>) => ramName(product, action);
const ramName = (product: Product, action: string) => `${PRODUCTS[product].ram}:${action}`;
const ramActions = (actions: ProductActions) =>
  actionPairs(actions)
    .filter(([product, action]) => needsGrant(product, action))
    .map(([product, action]) => ramName(product, action));

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

/** The steps' role: every step action, those of OWNED_ONLY on zpl's resources only, and PrivateLink's service-linked role. */
function stepsPolicy(): RamPolicy {
  const owned = new Set(ramActions(OWNED_ONLY));
  const open = policy(ramActions(STEP_ACTIONS).filter((a) => !owned.has(a)));
  const scoped = withStatement(open, { Effect: 'Allow', Action: [...owned].sort(), Resource: '*', Condition: OWNED_CONDITION });
  return withStatement(scoped, SERVICE_LINKED_ROLE_STATEMENT);
}

/** The three roles (step functions, entry functions, the flow) and the deploy step's policy. */
export function ramPolicies(scope: PolicyScope = {}): Record<'zpl-steps' | 'zpl-entry' | 'zpl-flow' | 'zpl-deploy-bus', RamPolicy> {
  return {
    'zpl-steps': stepsPolicy(),
    'zpl-entry': policy(ramActions(ENTRY_ACTIONS)),
    'zpl-flow': flowPolicy(scope),
    'zpl-deploy-bus': busDeployPolicy(scope),
  };
}
