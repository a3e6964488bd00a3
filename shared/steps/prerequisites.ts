import { isAliyunError } from '../aliyun/errors.ts';
import { StepFailure } from './types.ts';

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
 * not a transient fault: it becomes a definite failure that names the fix.
 */
export function prerequisiteFailure(e: unknown): StepFailure | undefined {
  if (isAliyunError(e, 'CheckServiceLinkRoleError')) {
    return new StepFailure('Account.PrivateLinkRoleMissing', `PrivateLink's service-linked role ${PRIVATELINK_SERVICE_LINKED_ROLE} is missing in this account: ${PRIVATELINK_ROLE_FIX}`);
  }
  return undefined;
}
