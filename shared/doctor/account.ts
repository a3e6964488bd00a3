import type { LinkSpec } from '../spec.ts';
import { accountMismatch, callerIdentity } from '../steps/caller-account.ts';
import { StepFailure, type StepDeps } from '../steps/types.ts';
import { fail, pass, type DoctorCheck } from './report.ts';

/** Whose credentials these are (STS GetCallerIdentity), and that they are the spec's account's. */
export async function accountCheck(spec: LinkSpec, deps: StepDeps): Promise<DoctorCheck> {
  const id = 'account';
  let caller;
  try {
    caller = await callerIdentity(deps);
  } catch (e) {
    if (e instanceof StepFailure) return fail(id, e.message, 'allow sts:GetCallerIdentity for this identity');
    throw e;
  }
  const who = `${caller.Arn ?? caller.IdentityType ?? 'the caller'}`;
  const mismatch = accountMismatch(spec, caller);
  if (mismatch)
    return fail(
      id,
      `the credentials (${who}) belong to account ${caller.AccountId}, not the spec's ${spec.accountId}`,
      `set accountId to ${caller.AccountId}, or use credentials of account ${spec.accountId}`,
    );
  return pass(id, `credentials of ${who}, account ${caller.AccountId} as the spec says`);
}
