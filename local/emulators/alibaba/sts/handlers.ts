import type { Handler, HandlerContext, Params } from '../handler.ts';
import { fail } from '../handler.ts';
import { gatewayErrors } from '../../../rpc/error.ts';
import type { Role } from './model.ts';

/**
 * STS 2015-04-01. GetCallerIdentity answers the identity of the key that signed the call (no
 * parameters). AssumeRole and AssumeRoleWithOIDC hand out a role session's key; their refusals
 * follow sts_2015-04-01.json (`errorCodes` of AssumeRole; AssumeRoleWithOIDC lists none, so its
 * codes are STS's error-code page, https://help.aliyun.com/zh/ram/developer-reference/api-sts-2015-04-01-errorcodes).
 */

const ROLE_ARN = /^acs:ram::(\d+):role\/([^/]+)$/i;
// RoleSessionName: "长度为2~64个字符，可包含英文字母、数字和特殊字符`.@-_`".
const SESSION_NAME = /^[A-Za-z0-9.@_-]{2,64}$/;
// ExternalId: "长度为2~1224个字符…正则为：`[\w+=,.@:\/-]*`".
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
// "Token有效期最小值为900秒，最大值为要扮演角色的`MaxSessionDuration`时间。默认值为3600秒。"
const DEFAULT_DURATION = 3600;
const notAuthorized = () => fail('NoPermission', 'You are not authorized to do this action. You should be authorized by RAM.', 403);

function requestedRole(ctx: HandlerContext, p: Params): Role {
  const arn = String(p.RoleArn ?? '');
  if (!ROLE_ARN.test(arn)) fail('InvalidParameter.RoleArn', 'The parameter RoleArn is wrongly formed.');
  if (!SESSION_NAME.test(String(p.RoleSessionName)))
    fail('InvalidParameter.RoleSessionName', 'The parameter RoleSessionName is wrongly formed.');
  return ctx.world.sts.role(arn) ?? fail('EntityNotExist.Role', 'The specified Role not exists .', 404);
}

function duration(role: Role, p: Params): number {
  const seconds = p.DurationSeconds ?? DEFAULT_DURATION;
  if (seconds < 900 || seconds > role.maxSessionDuration)
    fail('InvalidParameter.DurationSeconds', 'The Min/Max value of DurationSeconds is 15min/1hr.');
  return seconds;
}

/** The claims of a JWT, unverified: the emulator holds no IdP keys, so a token's signature is not checked. */
function jwtClaims(token: string): Record<string, unknown> {
  const invalid = (message: string) => fail('AuthenticationFail.OIDCToken.Invalid', message, 401);
  if (!token) invalid('The OIDCToken can not empty.');
  const parts = token.split('.');
  if (parts.length !== 3) invalid("The number of Jwt field should be divided into 3 parts with '.' .");
  try {
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as unknown;
    if (claims && typeof claims === 'object') return claims as Record<string, unknown>;
  } catch {
    // falls through
  }
  return invalid('The Jwt content is invalid that cannot be recognized.');
}

export const stsHandlers: Record<string, Handler> = {
  GetCallerIdentity: (ctx) => ({ ...ctx.world.sts.callerIdentity(ctx.accessKeyId) }),

  AssumeRole: (ctx, p) => {
    // "该接口不能使用阿里云账号（主账号）调用，只能使用RAM用户或RAM角色调用"; the code and message:
    // "ErrorCode: NoPermission ErrorMessage: Roles may not be assumed by root accounts." (doc-detail/42775).
    if (ctx.world.sts.keyOwner(ctx.accessKeyId)?.principal.kind === 'Account')
      fail('NoPermission', 'Roles may not be assumed by root accounts.', 403);
    if (p.ExternalId !== undefined && !EXTERNAL_ID.test(String(p.ExternalId)))
      fail('InvalidParameter.ExternalId', 'The parameter ExternalId is wrongly formed.');
    const role = requestedRole(ctx, p);
    // "RAM角色的信任策略不包含调用者，即RAM角色不允许该调用者扮演" answers NoPermission, as does a trust
    // policy's `sts:ExternalId` condition the request does not meet.
    if (!role.trustedAccounts.includes(ctx.accountId)) notAuthorized();
    if (role.externalId !== undefined && p.ExternalId !== role.externalId) notAuthorized();
    return { ...ctx.world.sts.issue(role, String(p.RoleSessionName), duration(role, p), ctx.world.now()) };
  },

  // Unsigned (the gateway lets it through without a key): the token is the caller's proof.
  AssumeRoleWithOIDC: (ctx, p) => {
    for (const name of ['OIDCProviderArn', 'RoleArn', 'OIDCToken']) if (!p[name]) throw gatewayErrors.missingParameter(name);
    const provider =
      ctx.world.sts.oidcProviders.get(String(p.OIDCProviderArn)) ??
      fail('AuthenticationFail.NoPermission', 'No such OIDC Provider registered.', 401);
    const claims = jwtClaims(String(p.OIDCToken));
    if (claims.iss !== provider.issuerUrl)
      fail('AuthenticationFail.OIDCToken.Invalid', 'The issuer of the OIDCToken does not match the provider.', 401);
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!audiences.some((a) => provider.clientIds.includes(String(a))))
      fail('AuthenticationFail.OIDCToken.AudienceNotMatch', 'Invalid audience.', 401);
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= ctx.world.now())
      fail('AuthenticationFail.OIDCToken.Expired', 'This JsonWebToken is expired.', 401);
    const role = requestedRole(ctx, p);
    if (role.accountId !== provider.accountId || !role.oidcProviders.includes(String(p.OIDCProviderArn)))
      fail('AuthenticationFail.NoPermission', 'There is no permission', 401);
    return { ...ctx.world.sts.issue(role, String(p.RoleSessionName), duration(role, p), ctx.world.now()) };
  },
};
