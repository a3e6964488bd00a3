import { isAliyunError } from '../aliyun/errors.ts';
import { together } from '../pool.ts';
import { StepFailure, type StepDeps } from './types.ts';

/**
 * PrivateLink's service-linked role. RAM docs, "服务关联角色" / CreateServiceLinkedRole
 * (https://help.aliyun.com/zh/ram/developer-reference/api-ram-2015-05-01-createservicelinkedrole):
 * the role is created for a service by `ServiceName`; PrivateLink's is `privatelink.aliyuncs.com`,
 * and the role is spelled `AliyunServiceRoleForPrivatelink` ("私网连接PrivateLink的服务关联角色
 * (AliyunServiceRoleForPrivatelink)", https://help.aliyun.com/zh/privatelink/security-and-compliance/service-association-role,
 * which adds: "如果服务关联角色不存在,系统会自动创建" when an endpoint is created).
 */
export const PRIVATELINK_SERVICE_LINKED_ROLE = 'AliyunServiceRoleForPrivatelink';
export const PRIVATELINK_SERVICE_NAME = 'privatelink.aliyuncs.com';

/** What a fresh account must do before an endpoint can be created, said once for every step that meets it. */
export const PRIVATELINK_ROLE_FIX =
  `activate PrivateLink for this account (https://vpc.console.aliyun.com/endpointservice, which creates ${PRIVATELINK_SERVICE_LINKED_ROLE}), ` +
  `or create the role: aliyun ram CreateServiceLinkedRole --ServiceName ${PRIVATELINK_SERVICE_NAME}`;

/**
 * CreateVpcEndpoint's `CheckServiceLinkRoleError` (privatelink_2020-04-15.json, CreateVpcEndpoint
 * errorCodes["400"]: "The ServiceLink role check error.") is a missing prerequisite of the account,
 * not a transient fault: it becomes a definite failure that names the fix. So does `NeedOpenProduct`
 * (PrivateLink not activated; privatelink_2020-04-15.json CheckProductOpen errorCodes["400"]).
 */
export function prerequisiteFailure(e: unknown, region: string): StepFailure | undefined {
  // Validate checks activation first; this catches an account deactivated since (NeedOpenProduct, see below).
  if (isAliyunError(e, 'NeedOpenProduct'))
    return new StepFailure(
      'Account.PrivateLinkNotActivated',
      `PrivateLink is not activated for this account: ${privateLinkActivationFix(region)}`,
    );
  if (isAliyunError(e, 'CheckServiceLinkRoleError')) {
    return new StepFailure(
      'Account.PrivateLinkRoleMissing',
      `PrivateLink's service-linked role ${PRIVATELINK_SERVICE_LINKED_ROLE} is missing in this account: ${PRIVATELINK_ROLE_FIX}`,
    );
  }
  return undefined;
}

/**
 * PrivateLink activation. OpenPrivateLinkService activates it (privatelink_2020-04-15.json, full
 * metadata; errorCodes `OrderOpend` "You have already activated the service" — the Terraform
 * provider's alicloud/data_source_alicloud_privatelink_service.go calls it and takes that code
 * as "on"); the console does the same.
 */
export const privateLinkActivationFix = (region: string) =>
  `activate it: aliyun privatelink OpenPrivateLinkService --region ${region}, or in the console (https://vpc.console.aliyun.com/endpointservice)`;

/** PrivateZone's service states (official SDK, pvtz20180101 DescribeUserServiceStatusResponseBody) and what to do about each. */
const PRIVATE_ZONE_STATUS_PROBLEMS: Record<string, Prerequisite> = {
  CLOSED: {
    problem: 'PrivateZone is not activated for this account',
    fix: 'activate it in the console (Alibaba Cloud DNS → PrivateZone, https://dns.console.aliyun.com/#/privateZone/list)',
  },
  IN_DEBT: {
    problem: 'PrivateZone has an overdue payment in this account',
    fix: 'settle the payment in Expenses and Costs (https://billing-cost.console.aliyun.com) before linking',
  },
  IN_DEBT_OVER_DUE: {
    problem: 'PrivateZone is suspended in this account for an overdue payment',
    fix: 'settle the payment in Expenses and Costs (https://billing-cost.console.aliyun.com) to resume it',
  },
};

/** A prerequisite the account lacks, and what to do about it. */
export interface Prerequisite {
  problem: string;
  fix: string;
}

const said = (p: Prerequisite) => `${p.problem}: ${p.fix}`;

/** Whether PrivateLink is activated (CheckProductOpen), and if not what to do. */
export async function privateLinkActivation(deps: StepDeps, region: string): Promise<{ missing?: Prerequisite }> {
  const open = await deps.aliyun.privateLink.productOpen();
  return open ? {} : { missing: { problem: 'PrivateLink is not activated for this account', fix: privateLinkActivationFix(region) } };
}

/** PrivateZone's service status (DescribeUserServiceStatus), and what to do unless it is OPENED. */
export async function privateZoneActivation(deps: StepDeps): Promise<{ status: string; missing?: Prerequisite; warning?: string }> {
  let status: string;
  try {
    status = await deps.aliyun.privateZone.serviceStatus();
  } catch (e) {
    // Known from PrivateZone's SDKs only (not in its OpenAPI metadata): an answer other than a
    // status (the action renamed, its RAM name not the one granted) must not stop every run.
    if (!isAliyunError(e)) throw e;
    return {
      status: 'OPENED',
      warning: `could not read PrivateZone's service status (${e.code}); if PrivateZone is not activated, its first write will fail with PrivateZone's own code`,
    };
  }
  if (status === 'OPENED') return { status };
  return {
    status,
    missing: PRIVATE_ZONE_STATUS_PROBLEMS[status] ?? {
      problem: `PrivateZone's service status for this account is ${status}, not OPENED`,
      fix: 'check it in the PrivateZone console',
    },
  };
}

/**
 * Whether the account can use PrivateLink and PrivateZone at all, read before any write, so a
 * fresh or suspended account fails at Validate with the fix instead of half-way through the run.
 * Errors other than "not activated" surface with their own code.
 */
export async function activationProblems(deps: StepDeps, region: string): Promise<{ problems: string[]; warnings: string[] }> {
  const [privateLink, privateZone] = await together([() => privateLinkActivation(deps, region), () => privateZoneActivation(deps)]);
  return {
    problems: [privateLink.missing, privateZone.missing].filter((p): p is Prerequisite => p !== undefined).map(said),
    warnings: privateZone.warning ? [privateZone.warning] : [],
  };
}
