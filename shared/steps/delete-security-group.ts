import { isAliyunError } from '../aliyun/errors.ts';
import { noteChange, StepFailure, type Step } from './types.ts';

/** Deletes the security group if zpl created it (a given one is left as found). */
export const deleteSecurityGroup: Step = async ({ state }, deps) => {
  const plan = state.teardown;
  if (!plan) throw new StepFailure('State.Incomplete', 'no teardown plan: the TeardownPlan step did not run');
  if (plan.scope !== 'link' || !plan.securityGroupId) return { state };
  if (!plan.securityGroupOurs) return { state: noteChange(state, { step: 'DeleteSecurityGroup', action: 'kept', resource: 'security group', id: plan.securityGroupId, note: 'not created by zpl' }) };
  try {
    await deps.aliyun.securityGroups.delete(plan.securityGroupId);
  } catch (e) {
    if (isAliyunError(e, /^InvalidSecurityGroup(Id)?\.NotFound$/)) return { state: noteChange(state, { step: 'DeleteSecurityGroup', action: 'gone', resource: 'security group', id: plan.securityGroupId }) };
    throw e;
  }
  return { state: noteChange(state, { step: 'DeleteSecurityGroup', action: 'deleted', resource: 'security group', id: plan.securityGroupId }) };
};
