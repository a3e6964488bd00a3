import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { DEFAULT_EVENT_BUS } from '../shared/flow-render.ts';
import { S_YAML } from '../local/deployed-functions.ts';
import { SECRETS, type SecretKey } from '../shared/secrets.ts';
import { roleList, type DriftRole } from '../shared/drift/roles.ts';
import { roleAllowed } from '../shared/role-allowlist.ts';

/**
 * What a deployment is for, kept once: s.yaml's `vars`. `s deploy` reads them for the functions'
 * region, the roles' account and the secrets' names; `zpl build`, `zpl deploy` and
 * `zpl deploy-bus` read the same file, so the rendered flows, the RAM policies and the deployed
 * functions cannot name different regions or accounts (test/deploy.test.ts cross-checks them).
 */
export interface DeployVars {
  region: string;
  /** The 16-digit main account ID; empty until the person deploying writes it into s.yaml. */
  accountId?: string;
  eventBus: string;
  /** The KMS Secrets Manager secret each secret is read from (`secret<Key>` in vars); empty: the plain variable. */
  secretNames: Partial<Record<SecretKey, string>>;
  /**
   * Role ARNs (`vars.assumeRoles`, comma-separated, `*` wildcards) a link's `assumeRole` may name:
   * s.yaml hands them to the step functions as ZPL_ASSUME_ROLES, and the steps' policy grants
   * `sts:AssumeRole` on exactly these. None unless listed.
   */
  assumeRoles: string[];
  /**
   * Other accounts the scheduled drift check covers (`vars.driftRoles`, `<arn>[,<externalId>],…`):
   * s.yaml hands them to the timer's payload. Each must be one assumeRoles admits. None unless listed.
   */
  driftRoles: DriftRole[];
}

/** `vars.secretZillizApiKey` etc.: the s.yaml variable naming each secret's KMS secret. */
export const secretNameVar = (key: SecretKey) => `secret${key[0]!.toUpperCase()}${key.slice(1)}`;

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined);

export function deployVars(file = S_YAML): DeployVars {
  const doc = existsSync(file) ? (parse(readFileSync(file, 'utf8'), { merge: true }) as { vars?: Record<string, unknown> }) : {};
  const vars = doc.vars ?? {};
  const secretNames: DeployVars['secretNames'] = {};
  for (const key of Object.keys(SECRETS) as SecretKey[]) {
    const name = text(vars[secretNameVar(key)]);
    if (name) secretNames[key] = name;
  }
  return {
    region: text(vars.region) ?? 'cn-hangzhou',
    accountId: text(vars.accountId),
    eventBus: text(vars.eventBus) ?? DEFAULT_EVENT_BUS,
    secretNames,
    assumeRoles: (text(vars.assumeRoles) ?? '')
      .split(',')
      .map((r) => r.trim())
      .filter(Boolean),
    driftRoles: roleList(text(vars.driftRoles) ?? ''),
  };
}

/** A deployment's vars with its account ID known. */
export type DeployTarget = DeployVars & { accountId: string };

/**
 * What a build or deploy is for: s.yaml's vars, which an option may repeat but not contradict
 * (the functions s deploy makes would then be in another region or name another account than the
 * flows and policies). Without an account ID nothing deployable can be built.
 */
export function deployTarget(
  vars: DeployVars,
  given: { region?: string; accountId?: string; eventBus?: string },
  file = S_YAML,
): DeployTarget {
  const agreed = agreeWithVars(vars, { region: given.region, eventBus: given.eventBus }, file);
  const accountId = vars.accountId;
  if (!accountId)
    throw new Error(
      `no account ID: set vars.accountId in ${file} to your 16-digit Alibaba Cloud main account ID (the flows, the RAM policies and the functions' roles name it)`,
    );
  if (!/^\d{16}$/.test(accountId)) throw new Error(`vars.accountId in ${file} must be 16 digits, not ${accountId}`);
  agreeWithVars(vars, { accountId: given.accountId }, file);
  // Every scheduled check would otherwise fail at its Discover (AssumeRole.NotAllowed); roleList
  // (deployVars) already refused a wildcard.
  for (const { arn } of vars.driftRoles)
    if (!roleAllowed(vars.assumeRoles, arn))
      throw new Error(`vars.driftRoles names ${arn}, which vars.assumeRoles does not admit: list it there too`);
  return { ...agreed, accountId };
}

/**
 * s.yaml's vars with what an option (or its environment variable) says where s.yaml is silent;
 * where s.yaml says something, the option may repeat it but not contradict it (what `s deploy`
 * makes follows s.yaml). The region and bus always have s.yaml's value or its default.
 */
export function agreeWithVars(
  vars: DeployVars,
  given: { region?: string; accountId?: string; eventBus?: string },
  file = S_YAML,
): DeployVars {
  const options = { region: '--region', accountId: '--account-id', eventBus: '--event-bus' } as const;
  for (const name of Object.keys(options) as (keyof typeof options)[]) {
    const value = given[name];
    if (value !== undefined && vars[name] !== undefined && value !== vars[name])
      throw new Error(
        `${options[name]} ${value} is not s.yaml's vars.${name} (${vars[name]}): s deploy reads s.yaml, so edit ${file} instead`,
      );
  }
  return { ...vars, accountId: vars.accountId ?? given.accountId };
}
