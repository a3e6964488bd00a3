import * as z from 'zod/mini';
import type { ActionDef } from './index.ts';

/**
 * STS 2015-04-01: who the credentials in use are (sts_2015-04-01.json, GetCallerIdentity: no
 * parameters; `AccountId` "当前调用者所属阿里云账号ID", `IdentityType` Account | RAMUser |
 * AssumedRoleUser, `Arn`). Validate compares AccountId with the spec's before any write.
 */
export const STS = {
  GetCallerIdentity: {
    write: false,
    params: [],
    response: z.object({
      RequestId: z.string(),
      AccountId: z.string(),
      IdentityType: z.optional(z.string()),
      Arn: z.optional(z.string()),
    }),
  },
} satisfies Record<string, ActionDef>;
