import type { ActionName } from '../shared/aliyun/catalog.ts';
import { PRODUCTS, type Product } from '../shared/aliyun/products.ts';
import { MANAGED_BY, TAG } from '../shared/derived.ts';
import { PRIVATELINK_SERVICE_LINKED_ROLE, PRIVATELINK_SERVICE_NAME } from '../shared/steps/prerequisites.ts';
import { DEFAULT_EVENT_BUS } from '../shared/flow-render.ts';
import { BUS_DEPLOY_ACTIONS, INTAKE_RULE } from './eventbridge.ts';
import { ROLES, type RoleName } from './roles.ts';
import type { SecretKey } from '../shared/secrets.ts';

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

/** What the entry functions call (CloudFlow): the API, the ticket intake, the drift timer, followers and remediation. */
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

/**
 * What the doctor's function (`POST /v1/doctor`, on the steps' role) calls beyond the steps'
 * actions: RAM GetRole, on PrivateLink's service-linked role alone (shared/doctor/service-role.ts).
 * RAM names a role `acs:ram::<account>:role/<name>` (GetRole's `Arn`); the account is left `*`
 * because a policy grants only in its own account, and a customer's role for `assumeRole` takes
 * the same statement.
 */
export const DOCTOR_ACTIONS = { Ram: ['GetRole'] } as const satisfies ProductActions;

export const doctorStatement = (): RamPolicy['Statement'][number] => ({
  Effect: 'Allow',
  Action: DOCTOR_ACTIONS.Ram.map((a) => ramAction('Ram', a)),
  Resource: `acs:ram::*:role/${PRIVATELINK_SERVICE_LINKED_ROLE}`,
});

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

/** Where the policies apply: the account, region, bus and secrets of the deployment (`*` where unknown). */
export interface PolicyScope {
  region?: string;
  accountId?: string;
  eventBus?: string;
  /** Role ARNs (`*` wildcards) a link's `assumeRole` may name (s.yaml vars.assumeRoles, ZPL_ASSUME_ROLES). */
  assumeRoles?: readonly string[];
  /** The KMS secrets the functions read (s.yaml `vars.secret*`); a role gets GetSecretValue on its own only. */
  secretNames?: Partial<Record<SecretKey, string>>;
}

/** zpl's own resources are named `zpl-*`: functions (s.yaml), flows (shared/flows.ts), roles and policies. */
export const OWN_PREFIX = 'zpl-';

/**
 * zpl's functions: FC 3.0's RAM resource for a function is `acs:fc:<region>:<account>:functions/<name>`
 * (FC 3.0 "RAM authorization", resource type Function,
 * https://www.alibabacloud.com/help/en/functioncompute/fc-3-0/developer-reference/api-fc-2023-03-30-ram);
 * the trailing `*` also covers a qualified `…/functions/<name>/LATEST`, the form the flows invoke.
 */
export const functionsArn = (scope: PolicyScope) => `acs:fc:${scope.region ?? '*'}:${scope.accountId ?? '*'}:functions/${OWN_PREFIX}*`;

/**
 * zpl's flows and their executions: CloudFlow names an execution `acs:fnf:<region>:<account>:flows/<flow>/executions/<name>`
 * (CloudFlow, "Create execution roles": "fnf:StartExecution acs:fnf:::flows/Test1/executions/*",
 * https://www.alibabacloud.com/help/en/serverless-workflow/latest/executive-role-1); `flows/zpl-*` covers the flows and their executions.
 */
export const flowsArn = (scope: PolicyScope) => `acs:fnf:${scope.region ?? '*'}:${scope.accountId ?? '*'}:flows/${OWN_PREFIX}*`;

/** A KMS secret as RAM names it: `acs:kms:${region}:${account}:secret/${secret-name}` (GetSecretValue's SecretName, kms_2016-01-20.json). */
export const secretArn = (scope: PolicyScope, name: string) => `acs:kms:${scope.region ?? '*'}:${scope.accountId ?? '*'}:secret/${name}`;

/** GetSecretValue on exactly the secrets the role's functions read, when they are read from KMS. */
function secretsStatement(scope: PolicyScope, role: RoleName): RamPolicy['Statement'] {
  const names = ROLES[role].secrets.map((key) => scope.secretNames?.[key]).filter((n): n is string => Boolean(n));
  return names.length ? [{ Effect: 'Allow', Action: ['kms:GetSecretValue'], Resource: names.map((n) => secretArn(scope, n)) }] : [];
}

/**
 * EventBridge resources as RAM names them: `acs:eventbridge:<region>:<account>:eventbus/<name>`
 * and `…/eventbus/<name>/rule/<rule>` (the metadata's EventBusARN and RuleARN, "事件规则的ARN，
 * 用于授权" — the rule's ARN, for authorisation; eventbridge 2020-04-01, GetEventBus/CreateRule).
 */
export const eventBusArn = (scope: PolicyScope) =>
  `acs:eventbridge:${scope.region ?? '*'}:${scope.accountId ?? '*'}:eventbus/${scope.eventBus ?? DEFAULT_EVENT_BUS}`;

/** The flow: invoke zpl's functions, and announce outcomes on zpl's bus only. */
function flowPolicy(scope: PolicyScope): RamPolicy {
  return {
    Version: '1',
    Statement: [
      { Effect: 'Allow', Action: ['fc:InvokeFunction'], Resource: functionsArn(scope) },
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

/**
 * Cross-account runs: the steps may take on the listed roles and no other — `sts:AssumeRole` with
 * the role ARNs as Resource, as AssumeRole's API reference points to ("能否指定RAM用户具体可以扮演哪个
 * RAM角色", sts_2015-04-01.json). The role's own trust policy must also let this account in. No
 * statement when none are listed.
 */
export const assumeRoleStatement = (roles: readonly string[]): RamPolicy['Statement'][number] => ({
  Effect: 'Allow',
  Action: [ramAction('Sts', 'AssumeRole')],
  Resource: [...roles].sort(),
});

/**
 * The steps' role: every step action, those of OWNED_ONLY on zpl's resources only, PrivateLink's
 * service-linked role (created by the steps, read by the doctor), its secret and the roles cross-account runs may take on. The other step actions stay on `*`: the resources they
 * create or read (security groups, endpoints, zones of the user's VPCs) have no name zpl could
 * scope to before they exist.
 */
function stepsPolicy(scope: PolicyScope): RamPolicy {
  const owned = new Set(ramActions(OWNED_ONLY));
  const open = policy(ramActions(STEP_ACTIONS).filter((a) => !owned.has(a)));
  const scoped = withStatement(open, { Effect: 'Allow', Action: [...owned].sort(), Resource: '*', Condition: OWNED_CONDITION });
  const withRole = withStatement(scoped, SERVICE_LINKED_ROLE_STATEMENT);
  const statements = [...withRole.Statement, doctorStatement(), ...secretsStatement(scope, 'zpl-steps')];
  return { ...withRole, Statement: scope.assumeRoles?.length ? [...statements, assumeRoleStatement(scope.assumeRoles)] : statements };
}

/** The entry functions: start and read zpl's flows' executions, and their secrets. */
function entryPolicy(scope: PolicyScope): RamPolicy {
  const [start] = policy(ramActions(ENTRY_ACTIONS)).Statement;
  return { Version: '1', Statement: [{ ...start!, Resource: flowsArn(scope) }, ...secretsStatement(scope, 'zpl-entry')] };
}

/**
 * Whoever runs `zpl deploy`: create or update zpl's roles and policies and attach them, on
 * `acs:ram::<account>:role/zpl-*` and `…:policy/zpl-*` only (RAM's resource forms for roles and
 * policies, `Arn` in GetRole's answer and the RAM authorization tables of CreateRole / CreatePolicy).
 * CreatePolicyVersion's rotation deletes the oldest version itself, which RAM may authorise as
 * ram:DeletePolicyVersion (UNVERIFIED, README). Passing the roles to FC and CloudFlow when `s
 * deploy` sets them needs ram:PassRole on the same roles.
 */
export const ROLE_DEPLOY_ACTIONS = {
  role: ['ram:GetRole', 'ram:CreateRole', 'ram:UpdateRole', 'ram:ListPoliciesForRole', 'ram:AttachPolicyToRole', 'ram:PassRole'],
  policy: [
    'ram:GetPolicy',
    'ram:GetPolicyVersion',
    'ram:CreatePolicy',
    'ram:CreatePolicyVersion',
    'ram:DeletePolicyVersion',
    'ram:AttachPolicyToRole',
  ],
} as const;

function rolesDeployPolicy(scope: PolicyScope): RamPolicy {
  const account = scope.accountId ?? '*';
  return {
    Version: '1',
    Statement: [
      { Effect: 'Allow', Action: [...ROLE_DEPLOY_ACTIONS.role].sort(), Resource: `acs:ram::${account}:role/${OWN_PREFIX}*` },
      { Effect: 'Allow', Action: [...ROLE_DEPLOY_ACTIONS.policy].sort(), Resource: `acs:ram::${account}:policy/${OWN_PREFIX}*` },
    ],
  };
}

/** The three roles' policies (step functions, entry functions, the flow) and the deploying identity's two. */
export function ramPolicies(scope: PolicyScope = {}): Record<RoleName | 'zpl-deploy-bus' | 'zpl-deploy-roles', RamPolicy> {
  return {
    'zpl-steps': stepsPolicy(scope),
    'zpl-entry': entryPolicy(scope),
    'zpl-flow': flowPolicy(scope),
    'zpl-deploy-bus': busDeployPolicy(scope),
    'zpl-deploy-roles': rolesDeployPolicy(scope),
  };
}
