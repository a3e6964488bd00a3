import { PRIVATELINK_ROLE_FIX, PRIVATELINK_SERVICE_LINKED_ROLE } from '../steps/prerequisites.ts';
import type { StepDeps } from '../steps/types.ts';
import { isRamDenial, ramActionOf } from './denial.ts';
import { pass, warn, type DoctorCheck } from './report.ts';

/**
 * PrivateLink's service-linked role (RAM GetRole). Missing is a warning, not a failure: PrivateLink
 * creates it with the first endpoint ("如果服务关联角色不存在,系统会自动创建",
 * https://help.aliyun.com/zh/privatelink/security-and-compliance/service-association-role) when the
 * identity may `ram:CreateServiceLinkedRole`, which no read can tell; otherwise CreateVpcEndpoint
 * answers `CheckServiceLinkRoleError` and the run stops at EnsureEndpoint naming the fix.
 */
export async function serviceRoleCheck(deps: StepDeps): Promise<DoctorCheck> {
  const id = 'privatelink.service-role';
  try {
    const role = await deps.aliyun.ram.role(PRIVATELINK_SERVICE_LINKED_ROLE);
    if (role) return pass(id, `${PRIVATELINK_SERVICE_LINKED_ROLE} exists`);
    return warn(
      id,
      `${PRIVATELINK_SERVICE_LINKED_ROLE} does not exist yet: PrivateLink creates it with the first endpoint if this identity may ram:CreateServiceLinkedRole, otherwise the run stops at EnsureEndpoint (CheckServiceLinkRoleError)`,
      PRIVATELINK_ROLE_FIX,
    );
  } catch (e) {
    if (!isRamDenial(e)) throw e;
    return warn(
      id,
      `could not read ${PRIVATELINK_SERVICE_LINKED_ROLE}: this identity may not call ${ramActionOf(e)} (the run itself does not need it)`,
      `allow ram:GetRole to check, or make sure the role exists: ${PRIVATELINK_ROLE_FIX}`,
    );
  }
}
