import { ids } from '../ids.ts';
import type { AssumeRole } from '../spec.ts';

/**
 * The other accounts a drift check covers besides the deployment's own: one RAM role each, taken
 * on as a link's `assumeRole` is (shared/steps/run-as.ts). Written as text in three places — s.yaml
 * `vars.driftRoles`, `zpl drift --role`, a timer payload — always the same way: comma-separated,
 * each role ARN optionally followed by its ExternalId (`<arn>[,<externalId>][,<arn>[,<externalId>]]…`).
 * A RAM role name holds no comma (ids.roleArn), so an item that is not a role ARN is the ExternalId
 * of the ARN before it; an ExternalId holding a comma cannot be written this way (the API and the
 * flow's input take `{arn, externalId}` objects).
 */
export type DriftRole = AssumeRole;

const ROLE_ARN_START = /^acs:ram::/i;

/**
 * Roles a check may name: each account has at least a page a region, and a run checks at most
 * MAX_PAGES_PER_RUN (20) pages (shared/drift/paging.ts), so more would only wait their turn.
 */
export const MAX_DRIFT_ROLES = 20;

/** The roles a text names, in order; a refusal says which item is out of place. */
export function roleList(text: string): DriftRole[] {
  const roles: DriftRole[] = [];
  for (const item of text
    .split(',')
    .map((i) => i.trim())
    .filter(Boolean)) {
    if (ROLE_ARN_START.test(item)) roles.push({ arn: item });
    else {
      const last = roles.at(-1);
      if (!last || last.externalId !== undefined)
        throw new Error(`"${item}" is not a role ARN (acs:ram::<account ID>:role/<name>), nor the ExternalId right after one`);
      last.externalId = item;
    }
  }
  // Each as a link's assumeRole must be (an ARN STS takes, an ExternalId of its characters), and no more than a run checks.
  for (const role of roles) {
    if (role.arn.includes('*')) throw new Error(`${role.arn}: a drift role is written out, without wildcards (it is listed, not matched)`);
    // As a link's assumeRole is checked (spec.ts assumeRoleSchema), without building the spec's schema in the drift functions.
    if (!ids.roleArn.test(role.arn)) throw new Error(`${role.arn}: arn must be acs:ram::<account ID>:role/<name>`);
    if (role.externalId !== undefined && !ids.externalId.test(role.externalId))
      throw new Error(`${role.arn}: externalId must be 2–1224 of letters, digits, _+=,.@:/-`);
  }
  if (roles.length > MAX_DRIFT_ROLES) throw new Error(`${roles.length} roles: a drift check takes at most ${MAX_DRIFT_ROLES}`);
  return roles;
}

/** The account a role is in: its ARN names it (`acs:ram::<account ID>:role/<name>`, sts_2015-04-01.json AssumeRole). */
export const roleAccount = (arn: string): string => arn.split(':')[3] ?? '';
