import * as z from 'zod/mini';
import { int, str, type ActionDef } from './index.ts';

/** The temporary key STS hands out (AssumeRole and AssumeRoleWithOIDC answer alike; `AssumedRoleUser` is not read). */
const roleSession = z.object({
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
 * STS 2015-04-01 (sts_2015-04-01.json): who the credentials in use are, and the role sessions zpl
 * takes on. GetCallerIdentity: no parameters; `AccountId` "当前调用者所属阿里云账号ID",
 * `IdentityType` Account | RAMUser | AssumedRoleUser, `Arn`; Validate compares AccountId with the
 * spec's before any write. AssumeRole: a RAM role's temporary key for a RAM user or role session
 * (credential profiles, a link's `assumeRole`). AssumeRoleWithOIDC: the same for an OIDC token,
 * called without a signature ("可以匿名访问，因此不需要提供公共请求参数中的Signature…AccessKeyId").
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
  AssumeRole: {
    write: false,
    params: [str('RoleArn', true), str('RoleSessionName', true), int('DurationSeconds'), str('Policy'), str('ExternalId')],
    response: z.lazy(() => roleSession),
  },
} satisfies Record<string, ActionDef>;

/**
 * Only the credential chain signs in with OIDC, so this table is apart from STS and written as
 * plain data (a pure `z.lazy`): a step function's bundle, which never uses it, drops it.
 */
export const STS_OIDC = {
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
    response: /* @__PURE__ */ z.lazy(() => roleSession),
  },
} satisfies Record<string, ActionDef>;
