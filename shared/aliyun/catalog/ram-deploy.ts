import { onFirstUse } from '../../first-use.ts';
import * as z from 'zod/mini';
import { bool, str, type ActionDef } from './index.ts';
import { roleAnswer } from './ram.ts';

/**
 * RAM 2015-05-01, the calls only `zpl deploy` makes (deploy/ram-roles.ts): roles, their custom
 * policies with versions, the attachments. Parameters and response fields as ram_2015-05-01.json
 * states them; the metadata marks no parameter `required`.
 */
const policy = () => z.object({ PolicyName: z.string(), PolicyType: z.optional(z.string()), DefaultVersion: z.optional(z.string()) });
const version = () =>
  z.object({
    RequestId: z.string(),
    PolicyVersion: z.object({ VersionId: z.string(), PolicyDocument: z.optional(z.string()), IsDefaultVersion: z.optional(z.boolean()) }),
  });

export const RAM_DEPLOY = {
  CreateRole: {
    write: true,
    params: [str('RoleName'), str('Description'), str('AssumeRolePolicyDocument')],
    response: /* @__PURE__ */ onFirstUse(roleAnswer),
  },
  UpdateRole: {
    write: true,
    params: [str('RoleName'), str('NewAssumeRolePolicyDocument')],
    response: /* @__PURE__ */ onFirstUse(roleAnswer),
  },
  CreatePolicy: {
    write: true,
    params: [str('PolicyName'), str('Description'), str('PolicyDocument')],
    response: /* @__PURE__ */ onFirstUse(() => z.object({ RequestId: z.string(), Policy: policy() })),
  },
  GetPolicy: {
    write: false,
    params: [str('PolicyType'), str('PolicyName')],
    response: /* @__PURE__ */ onFirstUse(() =>
      z.object({
        RequestId: z.string(),
        Policy: policy(),
        DefaultPolicyVersion: z.optional(z.object({ PolicyDocument: z.optional(z.string()) })),
      }),
    ),
  },
  GetPolicyVersion: {
    write: false,
    params: [str('PolicyType'), str('PolicyName'), str('VersionId')],
    response: /* @__PURE__ */ onFirstUse(version),
  },
  CreatePolicyVersion: {
    write: true,
    params: [str('PolicyName'), str('PolicyDocument'), bool('SetAsDefault'), str('RotateStrategy')],
    response: /* @__PURE__ */ onFirstUse(version),
  },
  AttachPolicyToRole: {
    write: true,
    params: [str('PolicyType'), str('PolicyName'), str('RoleName')],
    response: /* @__PURE__ */ onFirstUse(() => z.object({ RequestId: z.string() })),
  },
  ListPoliciesForRole: {
    write: false,
    params: [str('RoleName')],
    response: /* @__PURE__ */ onFirstUse(() => z.object({ RequestId: z.string(), Policies: z.object({ Policy: z.array(policy()) }) })),
  },
} satisfies Record<string, ActionDef>;
