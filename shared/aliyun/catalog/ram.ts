import * as z from 'zod/mini';
import { bool, str, type ActionDef } from './index.ts';

/**
 * RAM 2015-05-01: whether a role exists (`zpl doctor` asks for PrivateLink's service-linked role,
 * shared/aliyun/ram.ts) and the calls `zpl deploy` makes to create zpl's roles, their policies and
 * the attachments (deploy/ram-roles.ts). Parameters and response fields as ram_2015-05-01.json states
 * them; the metadata marks no parameter `required` (names and documents are `docRequired` only),
 * so none is required here either. RAM is global: one endpoint, ram.aliyuncs.com, in every region.
 */

const role = z.object({
  RoleName: z.string(),
  Arn: z.optional(z.string()),
  RoleId: z.optional(z.string()),
  AssumeRolePolicyDocument: z.optional(z.string()),
  Description: z.optional(z.string()),
});
const policy = z.object({ PolicyName: z.string(), PolicyType: z.optional(z.string()), DefaultVersion: z.optional(z.string()) });
const version = z.object({ VersionId: z.string(), PolicyDocument: z.optional(z.string()), IsDefaultVersion: z.optional(z.boolean()) });

export const RAM = {
  CreateRole: {
    write: true,
    params: [str('RoleName'), str('Description'), str('AssumeRolePolicyDocument')],
    response: z.lazy(() => z.object({ RequestId: z.string(), Role: role })),
  },
  GetRole: {
    write: false,
    params: [str('RoleName')],
    response: z.lazy(() => z.object({ RequestId: z.string(), Role: role })),
  },
  UpdateRole: {
    write: true,
    params: [str('RoleName'), str('NewAssumeRolePolicyDocument')],
    response: z.lazy(() => z.object({ RequestId: z.string(), Role: role })),
  },
  CreatePolicy: {
    write: true,
    params: [str('PolicyName'), str('Description'), str('PolicyDocument')],
    response: z.lazy(() => z.object({ RequestId: z.string(), Policy: policy })),
  },
  GetPolicy: {
    write: false,
    params: [str('PolicyType'), str('PolicyName')],
    response: z.lazy(() =>
      z.object({
        RequestId: z.string(),
        Policy: policy,
        DefaultPolicyVersion: z.optional(z.object({ PolicyDocument: z.optional(z.string()) })),
      }),
    ),
  },
  GetPolicyVersion: {
    write: false,
    params: [str('PolicyType'), str('PolicyName'), str('VersionId')],
    response: z.lazy(() => z.object({ RequestId: z.string(), PolicyVersion: version })),
  },
  CreatePolicyVersion: {
    write: true,
    params: [str('PolicyName'), str('PolicyDocument'), bool('SetAsDefault'), str('RotateStrategy')],
    response: z.lazy(() => z.object({ RequestId: z.string(), PolicyVersion: version })),
  },
  AttachPolicyToRole: {
    write: true,
    params: [str('PolicyType'), str('PolicyName'), str('RoleName')],
    response: z.lazy(() => z.object({ RequestId: z.string() })),
  },
  ListPoliciesForRole: {
    write: false,
    params: [str('RoleName')],
    response: z.lazy(() => z.object({ RequestId: z.string(), Policies: z.object({ Policy: z.array(policy) }) })),
  },
} satisfies Record<string, ActionDef>;
