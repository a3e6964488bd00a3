import { isAliyunError } from '../aliyun/errors.ts';
import { roleAccount } from '../drift/roles.ts';
import type { LinkSpec } from '../spec.ts';
import { StepFailure } from '../steps/types.ts';
import { fail, pass, type DoctorCheck } from './report.ts';

const ID = 'assume-role';

type Role = NonNullable<LinkSpec['assumeRole']>;

/** The role was taken on: every other check reads as it, as the run's steps would. */
export const roleTaken = (role: Role, session: string): DoctorCheck =>
  pass(ID, `acting as ${role.arn} (session ${session}), as the run's steps would${role.externalId ? ', with the spec’s ExternalId' : ''}`);

/**
 * The role was refused: one failing check, with what to change. The deployment's allowlist
 * refuses with a step failure (shared/steps/run-as.ts); STS with its own code (sts metadata,
 * AssumeRole errorCodes: `NoPermission` for the trust policy, the ExternalId or the caller's
 * grant, `EntityNotExist.Role` for a role that does not exist).
 */
export function roleRefused(role: Role, e: unknown): DoctorCheck {
  const account = roleAccount(role.arn) || 'the role’s account';
  if (e instanceof StepFailure) return fail(ID, `${e.code}: ${e.message}`, `add ${role.arn} to s.yaml vars.assumeRoles and redeploy`);
  const code = isAliyunError(e) ? e.code : 'unknown';
  const message = e instanceof Error ? e.message : String(e);
  const fix =
    code === 'EntityNotExist.Role'
      ? `create the role in account ${account} (with the steps' policy, dist/ram/zpl-steps.json), or correct assumeRole.arn`
      : `in account ${account}, the role's trust policy must name this identity's account${
          role.externalId ? ' with an sts:ExternalId condition equal to assumeRole.externalId' : ''
        }; and a policy of this identity must let it take on the role`;
  return fail(ID, `STS refused to let this identity take on ${role.arn} (${code}): ${message}`, fix);
}
