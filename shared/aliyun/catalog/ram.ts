import { onFirstUse } from '../../first-use.ts';
import * as z from 'zod/mini';
import { str, type ActionDef } from './index.ts';

/**
 * RAM 2015-05-01: whether a role exists (`zpl doctor` asks for PrivateLink's service-linked role,
 * shared/aliyun/ram.ts; `zpl deploy` for zpl's own). The calls only `zpl deploy` makes are in
 * ./ram-deploy.ts, so the functions' bundles do not carry them. Parameters and response fields as
 * ram_2015-05-01.json states them; the metadata marks no parameter `required` (names and documents
 * are `docRequired` only), so none is required here either. RAM is global: one endpoint,
 * ram.aliyuncs.com, in every region.
 */

/** A role as RAM's answers carry it (built on first use, as every response schema is). */
export const roleAnswer = () =>
  z.object({
    RequestId: z.string(),
    Role: z.object({
      RoleName: z.string(),
      Arn: z.optional(z.string()),
      RoleId: z.optional(z.string()),
      AssumeRolePolicyDocument: z.optional(z.string()),
      Description: z.optional(z.string()),
    }),
  });

export const RAM = {
  GetRole: { write: false, params: [str('RoleName')], response: /* @__PURE__ */ onFirstUse(roleAnswer) },
} satisfies Record<string, ActionDef>;
