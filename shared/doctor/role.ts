import { isAliyunError } from '../aliyun/errors.ts';
import type { LinkSpec } from '../spec.ts';
import { StepFailure } from '../steps/types.ts';
import { fail, pass, type DoctorCheck } from './report.ts';

const ID = 'assume-role';

type Role = NonNullable<LinkSpec['assumeRole']>;

/**
 * Whether taking on the spec's role was refused: STS's answer to AssumeRole (the trust policy, the
 * ExternalId, a missing role, the caller's own grant: `NoPermission`, `EntityNotExist.Role`; sts
 * metadata, AssumeRole errorCodes) or the deployment's allowlist (`AssumeRole.NotAllowed`,
 * shared/steps/run-as.ts). Anything else is not the role's doing.
 */
export const isRoleRefusal = (e: unknown): boolean =>
  (isAliyunError(e) && e.action === 'AssumeRole') || (e instanceof StepFailure && e.code.startsWith('AssumeRole.'));

/** The role was taken on: every other check reads as it, as the run's steps would. */
export const roleTaken = (role: Role, session: string): DoctorCheck =>
  pass(ID, `acting as ${role.arn} (session ${session}), as the run's steps would${role.externalId ? ', with the spec’s ExternalId' : ''}`);

/** The role was refused: one failing check, with what to change for STS (or the deployment) to let the caller in. */
export function roleRefused(role: Role, e: unknown): DoctorCheck {
  const account = /^acs:ram::(\d+):role\//.exec(role.arn)?.[1] ?? 'the role’s account';
  if (e instanceof StepFailure) return fail(ID, `${e.code}: ${e.message}`, `add ${role.arn} to s.yaml vars.assumeRoles and redeploy`);
  const code = isAliyunError(e) ? e.code : 'unknown';
  const message = e instanceof Error ? e.message : String(e);
  const fix =
    code === 'EntityNotExist.Role'
      ? `create the role in account ${account} (with the steps' policy, dist/ram/zpl-steps.json), or correct assumeRole.arn`
      : `in account ${account}, let this identity's account assume ${role.arn}: its trust policy must name it${
          role.externalId ? ' with an sts:ExternalId condition equal to assumeRole.externalId' : ''
        }; and this identity needs sts:AssumeRole on the role`;
  return fail(ID, `STS refused AssumeRole on ${role.arn} (${code}): ${message}`, fix);
}
