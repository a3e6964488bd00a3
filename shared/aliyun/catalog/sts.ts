import { onFirstUse } from '../../first-use.ts';
import * as z from 'zod/mini';
import type { ActionDef } from './index.ts';

/**
 * STS 2015-04-01 (sts_2015-04-01.json): who the credentials in use are. GetCallerIdentity: no
 * parameters; `AccountId` "当前调用者所属阿里云账号ID", `IdentityType` Account | RAMUser |
 * AssumedRoleUser, `Arn`. Validate compares AccountId with the spec's before any write.
 */
export const STS = {
  GetCallerIdentity: {
    write: false,
    params: [],
    response: /* @__PURE__ */ onFirstUse(() =>
      z.object({
        RequestId: z.string(),
        AccountId: z.string(),
        IdentityType: z.optional(z.string()),
        Arn: z.optional(z.string()),
      }),
    ),
  },
} satisfies Record<string, ActionDef>;

/** The temporary key STS hands out (AssumeRole and AssumeRoleWithOIDC answer alike; `AssumedRoleUser` is not read). */
const roleSession = () =>
  z.object({
    RequestId: z.string(),
    Credentials: z.object({
      AccessKeyId: z.string(),
      AccessKeySecret: z.string(),
      SecurityToken: z.string(),
      // "Token到期失效时间（UTC时间）", e.g. 2015-04-09T11:52:19Z.
      Expiration: z.string(),
    }),
  });

/**
 * The role sessions zpl takes on: AssumeRole, a RAM role's temporary key for a RAM user or role
 * session (credential profiles, a link's `assumeRole`); AssumeRoleWithOIDC, the same for an OIDC
 * token, called without a signature ("可以匿名访问，因此不需要提供公共请求参数中的Signature…AccessKeyId").
 * Written as plain data (`onFirstUse`, free of side effects) so a bundle that never takes on a role drops them; only
 * the credential chain and a cross-account run's session module (shared/steps/run-as.ts) use them.
 */
export const STS_ROLES = {
  AssumeRole: {
    write: false,
    params: [
      { name: 'RoleArn', type: 'string', required: true },
      { name: 'RoleSessionName', type: 'string', required: true },
      { name: 'DurationSeconds', type: 'integer' },
      { name: 'Policy', type: 'string' },
      { name: 'ExternalId', type: 'string' },
    ],
    response: /* @__PURE__ */ onFirstUse(roleSession),
  },
  AssumeRoleWithOIDC: {
    write: false,
    anonymous: true,
    params: [
      { name: 'OIDCProviderArn', type: 'string' },
      { name: 'RoleArn', type: 'string' },
      { name: 'OIDCToken', type: 'string' },
      { name: 'Policy', type: 'string' },
      { name: 'DurationSeconds', type: 'integer' },
      { name: 'RoleSessionName', type: 'string', required: true },
    ],
    response: /* @__PURE__ */ onFirstUse(roleSession),
  },
} satisfies Record<string, ActionDef>;
