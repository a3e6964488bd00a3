import * as z from 'zod/mini';
import { str, type ActionDef } from './index.ts';

/**
 * RAM 2015-05-01: whether a role exists (`zpl doctor` asks for PrivateLink's service-linked role).
 * ram_2015-05-01.json, GetRole: `RoleName` is `docRequired` only (the metadata marks no parameter
 * `required`), the answer's `Role` carries `RoleName`, `Arn`, `RoleId`. RAM is global: one endpoint,
 * ram.aliyuncs.com, in every region.
 */
export const RAM = {
  GetRole: {
    write: false,
    params: [str('RoleName')],
    response: z.lazy(() =>
      z.object({
        RequestId: z.string(),
        Role: z.object({ RoleName: z.string(), Arn: z.optional(z.string()), RoleId: z.optional(z.string()) }),
      }),
    ),
  },
} satisfies Record<string, ActionDef>;
