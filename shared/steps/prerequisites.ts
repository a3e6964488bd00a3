import { isAliyunError } from '../aliyun/errors.ts';
import { together } from '../pool.ts';
import { StepFailure, type StepDeps } from './types.ts';

/**
 * PrivateLink's service-linked role. RAM docs, "服务关联角色" / CreateServiceLinkedRole
 * (https://help.aliyun.com/zh/ram/developer-reference/api-ram-2015-05-01-createservicelinkedrole):
 * the role is created for a service by `ServiceName`; PrivateLink's is `privatelink.aliyuncs.com`
 * (https://help.aliyun.com/zh/privatelink/user-guide/service-linked-roles).
 */
export const PRIVATELINK_SERVICE_LINKED_ROLE = 'AliyunServiceRoleForPrivateLink';
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
const PRIVATE_ZONE_STATUS_PROBLEMS: Record<string, string> = {
  CLOSED:
    'PrivateZone is not activated for this account: activate it in the console (Alibaba Cloud DNS → PrivateZone, https://dns.console.aliyun.com/#/privateZone/list)',
  IN_DEBT:
    'PrivateZone has an overdue payment in this account: settle the payment in Expenses and Costs (https://billing-cost.console.aliyun.com) before linking',
  IN_DEBT_OVER_DUE:
    'PrivateZone is suspended in this account for an overdue payment: settle the payment in Expenses and Costs (https://billing-cost.console.aliyun.com) to resume it',
};

/**
 * Whether the account can use PrivateLink and PrivateZone at all, read before any write, so a
 * fresh or suspended account fails at Validate with the fix instead of half-way through the run.
 * Errors other than "not activated" surface with their own code.
 */
export async function activationProblems(deps: StepDeps, region: string): Promise<{ problems: string[]; warnings: string[] }> {
  const warnings: string[] = [];
  const [privateLinkOpen, privateZoneStatus] = await together([
    () => deps.aliyun.privateLink.productOpen(),
    // Known from PrivateZone's SDKs only (not in its OpenAPI metadata): an answer other than a
    // status (the action renamed, its RAM name not the one granted) must not stop every run.
    () =>
      deps.aliyun.privateZone.serviceStatus().catch((e: unknown) => {
        if (!isAliyunError(e)) throw e;
        warnings.push(
          `could not read PrivateZone's service status (${(e as { code: string }).code}); if PrivateZone is not activated, its first write will fail with PrivateZone's own code`,
        );
        return 'OPENED' as const;
      }),
  ]);
  const problems: string[] = [];
  if (!privateLinkOpen) problems.push(`PrivateLink is not activated for this account: ${privateLinkActivationFix(region)}`);
  if (privateZoneStatus !== 'OPENED') {
    problems.push(
      PRIVATE_ZONE_STATUS_PROBLEMS[privateZoneStatus] ??
        `PrivateZone's service status for this account is ${privateZoneStatus}, not OPENED: check it in the PrivateZone console`,
    );
  }
  return { problems, warnings };
}
