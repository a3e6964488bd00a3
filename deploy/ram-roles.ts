import { RAM } from '../shared/aliyun/catalog/ram.ts';
import { RAM_DEPLOY } from '../shared/aliyun/catalog/ram-deploy.ts';
import { isAliyunError } from '../shared/aliyun/errors.ts';
import type { AliyunTransport } from '../shared/aliyun/rpc.ts';
import { stableJson } from '../shared/derived.ts';
import { ramPolicies, type PolicyScope, type RamPolicy } from './policy.ts';
import { ROLE_NAMES, ROLES, trustPolicy, type RoleName } from './roles.ts';
import type { Change } from './eventbridge.ts';

/**
 * The deploy step for zpl's RAM roles (`zpl deploy`, before `s deploy`, whose functions and flows
 * name them): for each of zpl-steps, zpl-entry and zpl-flow, the role with its trust policy, the
 * custom policy of the same name holding dist/ram/<role>.json, and the attachment. Idempotent: each
 * thing is read first and written only when missing or different — GetRole → CreateRole or
 * UpdateRole (trust policy), GetPolicy → CreatePolicy or CreatePolicyVersion (SetAsDefault, with
 * RotateStrategy DeleteOldestNonDefaultVersionWhenLimitExceeded, so the five-version limit never
 * stops a deploy), ListPoliciesForRole → AttachPolicyToRole. Names, parameters and answers:
 * ram_2015-05-01.json; not-found codes as the Terraform provider reads them (`EntityNotExist.Role`,
 * `EntityNotExist.Policy`, alicloud/resource_alicloud_ram_role.go, resource_alicloud_ram_policy.go).
 */

export interface RoleDeployResult {
  role: RoleName;
  trust: Change;
  policy: Change;
  attachment: Change;
}

/** Documents compare as JSON, whatever their spacing or key order. */
const sameDocument = (a: string | undefined, b: unknown) => {
  try {
    return a !== undefined && stableJson(JSON.parse(a)) === stableJson(b);
  } catch {
    return false;
  }
};

async function missingAs<T>(call: () => Promise<T>, code: string): Promise<T | undefined> {
  try {
    return await call();
  } catch (e) {
    if (isAliyunError(e, code)) return undefined;
    throw e;
  }
}

async function ensureRole(t: AliyunTransport, region: string, name: RoleName): Promise<Change> {
  const { service, description } = ROLES[name];
  const trust = trustPolicy(service);
  const have = await missingAs(() => t.call('Ram', 'GetRole', region, { RoleName: name }), 'EntityNotExist.Role');
  if (!have) {
    await t.call('Ram', 'CreateRole', region, {
      RoleName: name,
      Description: description,
      AssumeRolePolicyDocument: JSON.stringify(trust),
    });
    return 'created';
  }
  if (sameDocument(have.Role.AssumeRolePolicyDocument, trust)) return 'reused';
  // A role of zpl's name trusted by another principal: only its service may assume it.
  await t.call('Ram', 'UpdateRole', region, { RoleName: name, NewAssumeRolePolicyDocument: JSON.stringify(trust) });
  return 'updated';
}

async function ensurePolicy(t: AliyunTransport, region: string, name: RoleName, doc: RamPolicy): Promise<Change> {
  const have = await missingAs(
    () => t.call('Ram', 'GetPolicy', region, { PolicyType: 'Custom', PolicyName: name }),
    'EntityNotExist.Policy',
  );
  if (!have) {
    await t.call('Ram', 'CreatePolicy', region, {
      PolicyName: name,
      Description: ROLES[name].description,
      PolicyDocument: JSON.stringify(doc),
    });
    return 'created';
  }
  if (sameDocument(have.DefaultPolicyVersion?.PolicyDocument, doc)) return 'reused';
  await t.call('Ram', 'CreatePolicyVersion', region, {
    PolicyName: name,
    PolicyDocument: JSON.stringify(doc),
    SetAsDefault: true,
    RotateStrategy: 'DeleteOldestNonDefaultVersionWhenLimitExceeded',
  });
  return 'updated';
}

async function ensureAttached(t: AliyunTransport, region: string, name: RoleName): Promise<Change> {
  const attached = await t.call('Ram', 'ListPoliciesForRole', region, { RoleName: name });
  if (attached.Policies.Policy.some((p) => p.PolicyName === name && (p.PolicyType ?? 'Custom') === 'Custom')) return 'reused';
  await t.call('Ram', 'AttachPolicyToRole', region, { PolicyType: 'Custom', PolicyName: name, RoleName: name });
  return 'created';
}

export async function deployRoles(transport: AliyunTransport, scope: PolicyScope & { region: string }): Promise<RoleDeployResult[]> {
  transport.use('Ram', { ...RAM, ...RAM_DEPLOY });
  const docs = ramPolicies(scope);
  const out: RoleDeployResult[] = [];
  for (const role of ROLE_NAMES) {
    const trust = await ensureRole(transport, scope.region, role);
    const policy = await ensurePolicy(transport, scope.region, role, docs[role]);
    out.push({ role, trust, policy, attachment: await ensureAttached(transport, scope.region, role) });
  }
  return out;
}

/** What the step will do, as `zpl deploy --plan` prints it (no call made). */
export function rolesDeployPlan(): string[] {
  return ROLE_NAMES.map(
    (role) =>
      `role ${role} trusted by ${ROLES[role].service} (GetRole; CreateRole, or UpdateRole if trusted otherwise), policy ${role} = dist/ram/${role}.json (GetPolicy; CreatePolicy, or CreatePolicyVersion if different), attached (ListPoliciesForRole; AttachPolicyToRole)`,
  );
}
