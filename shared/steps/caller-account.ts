import { isAliyunError } from '../aliyun/errors.ts';
import type { LinkSpec } from '../spec.ts';
import { StepFailure, type StepDeps } from './types.ts';

/**
 * The spec's `accountId` must be the account of the credentials in use. zpl allowlists that
 * account with Zilliz (add-only: Zilliz offers no way to remove the entry) and creates everything
 * in the credentials' account, so a spec naming another account would hand a stranger's account
 * Zilliz's endpoint service. Asked of STS GetCallerIdentity (sts_2015-04-01.json: `AccountId`
 * "当前调用者所属阿里云账号ID", for an account, a RAM user or a role session such as FC's function
 * role) before anything is read or written for the link. Undefined when they agree.
 */
export async function accountRefusal(spec: Pick<LinkSpec, 'accountId'>, deps: StepDeps): Promise<StepFailure | undefined> {
  return accountMismatch(spec, await callerIdentity(deps));
}

/** Who the credentials in use are; a refusal ends as `Account.Unverified` naming the grant. */
export async function callerIdentity(deps: StepDeps) {
  return deps.aliyun.sts.callerIdentity().catch((e: unknown) => {
    // A refusal (the API reference lists no RAM action for GetCallerIdentity: README, unverified) must not let the run go on unchecked.
    if (isAliyunError(e) && !e.retryable)
      throw new StepFailure(
        'Account.Unverified',
        `could not tell which account the credentials belong to (STS GetCallerIdentity answered ${e.code}: ${e.message}); allow sts:GetCallerIdentity for this identity`,
      );
    throw e;
  });
}

/** The refusal of a spec naming another account than the caller's, or undefined when they agree. */
export function accountMismatch(
  spec: Pick<LinkSpec, 'accountId'>,
  caller: { AccountId: string; Arn?: string; IdentityType?: string },
): StepFailure | undefined {
  if (caller.AccountId === spec.accountId) return undefined;
  const who = caller.Arn ?? caller.IdentityType ?? 'the caller';
  return new StepFailure(
    'Account.Mismatch',
    `the spec names Alibaba Cloud account ${spec.accountId}, but the credentials in use (${who}) belong to account ${caller.AccountId}: ` +
      `nothing was changed; set accountId to ${caller.AccountId}, or run zpl with credentials of account ${spec.accountId}`,
  );
}
