import { type Handler, type HandlerContext, type Params, fail, iso } from '../handler.ts';
import { getRole } from './get-role.ts';
import { MAX_POLICY_VERSIONS, type RamCustomPolicy, type RamPolicyVersion, type RamRole } from './model.ts';

/**
 * RAM 2015-05-01, the calls `zpl deploy` makes. ram_2015-05-01.json lists no error codes for these
 * actions; the codes are those the Terraform provider handles (terraform-provider-alicloud
 * alicloud/resource_alicloud_ram_role.go, resource_alicloud_ram_policy.go,
 * resource_alicloud_ram_role_policy_attachment.go: `EntityNotExist.Role`, `EntityNotExist.Policy`,
 * `EntityNotExist.Policy.Version`; resource_alicloud_ram_user_group_attachment.go: "409
 * EntityAlreadyExists.User.Group", after which a duplicate role, policy or attachment is
 * `EntityAlreadyExists.<Entity>`, 409 — UNVERIFIED, README). The deploy step looks before it
 * writes, so it relies on none of the conflict codes.
 */

const notFound = (entity: string, name: string): never =>
  fail(`EntityNotExist.${entity}`, `The ${entity.toLowerCase()} does not exist: ${name}.`, 404);
const exists = (entity: string, name: string): never =>
  fail(`EntityAlreadyExists.${entity}`, `The ${entity.toLowerCase()} already exists: ${name}.`, 409);

/** A policy document must be JSON with a Statement list ("权限策略基本元素", ~~93738~~); RAM refuses others. */
function document(text: unknown, param: string): string {
  let doc: unknown;
  try {
    doc = JSON.parse(String(text ?? ''));
  } catch {
    return fail('InvalidParameter.PolicyDocument', `The ${param} is not valid JSON.`);
  }
  if (!doc || typeof doc !== 'object' || !Array.isArray((doc as { Statement?: unknown }).Statement))
    fail('InvalidParameter.PolicyDocument', `The ${param} has no Statement list.`);
  return String(text);
}

const roleArn = (ctx: HandlerContext, name: string) => `acs:ram::${ctx.accountId}:role/${name.toLowerCase()}`;
const roleOut = (ctx: HandlerContext, r: RamRole) => ({
  RoleName: r.name,
  RoleId: String(Math.abs(hash(r.name))).padStart(16, '3'),
  Arn: roleArn(ctx, r.name),
  Description: r.description ?? '',
  AssumeRolePolicyDocument: r.trustPolicy,
  MaxSessionDuration: 3600,
  CreateDate: iso(r.createdAt),
  UpdateDate: iso(r.updatedAt),
});
const policyOut = (p: RamCustomPolicy) => ({
  PolicyName: p.name,
  PolicyType: 'Custom',
  Description: p.description ?? '',
  DefaultVersion: p.defaultVersion,
  CreateDate: iso(p.createdAt),
});

const versionOut = (p: RamCustomPolicy, v: RamPolicyVersion) => ({
  VersionId: v.versionId,
  IsDefaultVersion: v.versionId === p.defaultVersion,
  PolicyDocument: v.document,
  CreateDate: iso(v.createdAt),
});

function hash(text: string): number {
  let h = 7;
  for (const c of text) h = (h * 31 + c.charCodeAt(0)) | 0;
  return h;
}

function role(ctx: HandlerContext, name: unknown): RamRole {
  if (typeof name !== 'string' || name === '') return fail('MissingRoleName', 'RoleName is mandatory for this action.');
  // Role names are case-insensitive in RAM ARNs (the ARN spells them in lower case).
  return ctx.world.ram.of(ctx.accountId).roles.get(name.toLowerCase()) ?? notFound('Role', name);
}

function customPolicy(ctx: HandlerContext, p: Params): RamCustomPolicy {
  if (typeof p.PolicyName !== 'string' || p.PolicyName === '') return fail('MissingPolicyName', 'PolicyName is mandatory for this action.');
  // Only custom policies are modelled: zpl attaches no system policy.
  if (p.PolicyType !== undefined && p.PolicyType !== 'Custom') return notFound('Policy', p.PolicyName);
  return ctx.world.ram.of(ctx.accountId).policies.get(p.PolicyName) ?? notFound('Policy', p.PolicyName);
}

export const ramHandlers: Record<string, Handler> = {
  CreateRole(ctx, p) {
    if (typeof p.RoleName !== 'string' || p.RoleName === '') fail('MissingRoleName', 'RoleName is mandatory for this action.');
    const roles = ctx.world.ram.of(ctx.accountId).roles;
    if (roles.has(p.RoleName.toLowerCase())) exists('Role', p.RoleName);
    const now = ctx.world.now();
    const r: RamRole = {
      name: p.RoleName,
      description: p.Description,
      trustPolicy: document(p.AssumeRolePolicyDocument, 'AssumeRolePolicyDocument'),
      createdAt: now,
      updatedAt: now,
      attached: [],
    };
    roles.set(p.RoleName.toLowerCase(), r);
    return { Role: roleOut(ctx, r) };
  },

  // A role zpl deploy made, else the roles every emulated account holds (PrivateLink's service-linked role).
  GetRole(ctx, p) {
    const made = typeof p.RoleName === 'string' ? ctx.world.ram.of(ctx.accountId).roles.get(p.RoleName.toLowerCase()) : undefined;
    return made ? { Role: roleOut(ctx, made) } : getRole(ctx, p);
  },

  UpdateRole(ctx, p) {
    const r = role(ctx, p.RoleName);
    if (p.NewAssumeRolePolicyDocument !== undefined) r.trustPolicy = document(p.NewAssumeRolePolicyDocument, 'NewAssumeRolePolicyDocument');
    r.updatedAt = ctx.world.now();
    return { Role: roleOut(ctx, r) };
  },

  CreatePolicy(ctx, p) {
    if (typeof p.PolicyName !== 'string' || p.PolicyName === '') fail('MissingPolicyName', 'PolicyName is mandatory for this action.');
    const policies = ctx.world.ram.of(ctx.accountId).policies;
    if (policies.has(p.PolicyName)) exists('Policy', p.PolicyName);
    const now = ctx.world.now();
    const policy: RamCustomPolicy = {
      name: p.PolicyName,
      description: p.Description,
      versions: [{ versionId: 'v1', document: document(p.PolicyDocument, 'PolicyDocument'), createdAt: now }],
      defaultVersion: 'v1',
      nextVersion: 2,
      createdAt: now,
    };
    policies.set(p.PolicyName, policy);
    return { Policy: policyOut(policy) };
  },

  GetPolicy(ctx, p) {
    const policy = customPolicy(ctx, p);
    const v = policy.versions.find((x) => x.versionId === policy.defaultVersion)!;
    return {
      Policy: { ...policyOut(policy), AttachmentCount: attachments(ctx, policy.name) },
      DefaultPolicyVersion: versionOut(policy, v),
    };
  },

  GetPolicyVersion(ctx, p) {
    const policy = customPolicy(ctx, p);
    const v = policy.versions.find((x) => x.versionId === p.VersionId) ?? notFound('Policy.Version', String(p.VersionId));
    return { PolicyVersion: versionOut(policy, v) };
  },

  CreatePolicyVersion(ctx, p) {
    const policy = customPolicy(ctx, p);
    const doc = document(p.PolicyDocument, 'PolicyDocument');
    if (policy.versions.length >= MAX_POLICY_VERSIONS) {
      // RotateStrategy DeleteOldestNonDefaultVersionWhenLimitExceeded: "当权限策略版本数量超限时，删除最早且非活跃的版本" (metadata).
      if (p.RotateStrategy !== 'DeleteOldestNonDefaultVersionWhenLimitExceeded')
        fail('LimitExceeded.Policy.Version', `The policy ${policy.name} already has ${MAX_POLICY_VERSIONS} versions.`, 409);
      const oldest = policy.versions.findIndex((v) => v.versionId !== policy.defaultVersion);
      policy.versions.splice(oldest, 1);
    }
    const v = { versionId: `v${policy.nextVersion++}`, document: doc, createdAt: ctx.world.now() };
    policy.versions.push(v);
    if (p.SetAsDefault === true) policy.defaultVersion = v.versionId;
    return { PolicyVersion: versionOut(policy, v) };
  },

  AttachPolicyToRole(ctx, p) {
    const policy = customPolicy(ctx, p);
    const r = role(ctx, p.RoleName);
    const key = `Custom:${policy.name}`;
    if (r.attached.includes(key)) exists('Role.Policy', policy.name);
    r.attached.push(key);
    return {};
  },

  ListPoliciesForRole(ctx, p) {
    const r = role(ctx, p.RoleName);
    const policies = ctx.world.ram.of(ctx.accountId).policies;
    return {
      Policies: {
        Policy: r.attached.map((key) => {
          const name = key.slice('Custom:'.length);
          const policy = policies.get(name);
          return {
            PolicyName: name,
            PolicyType: 'Custom',
            DefaultVersion: policy?.defaultVersion ?? 'v1',
            Description: policy?.description ?? '',
          };
        }),
      },
    };
  },
};

const attachments = (ctx: HandlerContext, name: string) =>
  [...ctx.world.ram.of(ctx.accountId).roles.values()].filter((r) => r.attached.includes(`Custom:${name}`)).length;
