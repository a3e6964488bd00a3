import { createHash, randomBytes } from 'node:crypto';
import { ApiError } from '../../../rpc/error.ts';

/**
 * Who each access key belongs to, as STS GetCallerIdentity tells it (sts_2015-04-01.json,
 * GetCallerIdentity response): an account's own key (`IdentityType` Account), a RAM user's
 * (RAMUser), or a role session's, the `STS.…` key AssumeRole hands out with its SecurityToken
 * (AssumedRoleUser). The emulator knows each key's identity from the seed.
 */
export type Principal =
  { kind: 'Account' } | { kind: 'RAMUser'; userName: string } | { kind: 'AssumedRoleUser'; roleName: string; sessionName: string };

/** The GetCallerIdentity answer, only fields its response schema declares. */
export interface CallerIdentity {
  IdentityType: Principal['kind'];
  AccountId: string;
  PrincipalId: string;
  Arn: string;
  UserId?: string;
  RoleId?: string;
}

/** A stable numeric ID of a RAM user or role (the metadata's examples are 16–17 digits). */
const numericId = (text: string) => (BigInt(`0x${createHash('sha256').update(text).digest('hex').slice(0, 14)}`) % 10n ** 17n).toString();

/**
 * A RAM role: who may take it on (its trust policy: whole accounts, `acs:ram::<account>:root`, and
 * OIDC providers, with an optional `sts:ExternalId` condition) and its MaxSessionDuration.
 */
export interface Role {
  accountId: string;
  roleName: string;
  trustedAccounts: string[];
  externalId?: string;
  oidcProviders: string[];
  maxSessionDuration: number;
}

/** A RAM OIDC identity provider: the issuer its tokens must name and the audiences (client IDs) it accepts. */
export interface OidcProvider {
  accountId: string;
  name: string;
  issuerUrl: string;
  clientIds: string[];
}

/** What STS answers AssumeRole and AssumeRoleWithOIDC with. */
export interface RoleSessionAnswer {
  Credentials: { AccessKeyId: string; AccessKeySecret: string; SecurityToken: string; Expiration: string };
  AssumedRoleUser: { Arn: string; AssumedRoleId: string };
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
export const roleArn = (accountId: string, roleName: string) => `acs:ram::${accountId}:role/${roleName}`;
export const oidcProviderArn = (accountId: string, name: string) => `acs:ram::${accountId}:oidc-provider/${name}`;

export class StsModel {
  private readonly keys = new Map<string, { accountId: string; principal: Principal; securityToken?: string; expiresAt?: number }>();
  /** By ARN in lower case: RAM role names are case-insensitive. */
  private readonly roles = new Map<string, Role>();
  readonly oidcProviders = new Map<string, OidcProvider>();

  /** @param secrets the gateway's key table: a key STS hands out must verify like any other. */
  constructor(private readonly secrets: Map<string, { secret: string; accountId: string }>) {}

  register(accessKeyId: string, accountId: string, principal: Principal): void {
    this.keys.set(accessKeyId, { accountId, principal });
  }

  addRole(role: Role): void {
    this.roles.set(roleArn(role.accountId, role.roleName).toLowerCase(), role);
  }

  role(arn: string): Role | undefined {
    return this.roles.get(arn.toLowerCase());
  }

  addOidcProvider(provider: OidcProvider): void {
    this.oidcProviders.set(oidcProviderArn(provider.accountId, provider.name), provider);
  }

  /** Whose key signed: undefined for a key the seed or STS never handed out. */
  keyOwner(accessKeyId: string) {
    return this.keys.get(accessKeyId);
  }

  /**
   * A temporary key of a role session: an `STS.` key with its SecurityToken (the metadata's example
   * `STS.L4aBSCSJVMuKg5U1****`), valid until `now + durationSeconds`.
   */
  issue(role: Role, sessionName: string, durationSeconds: number, now: number): RoleSessionAnswer {
    const accessKeyId = `STS.${randomBytes(12).toString('hex')}`;
    const secret = randomBytes(24).toString('base64url');
    const securityToken = `CAIS${randomBytes(48).toString('base64url')}`;
    const expiresAt = now + durationSeconds * 1000;
    this.secrets.set(accessKeyId, { secret, accountId: role.accountId });
    this.keys.set(accessKeyId, {
      accountId: role.accountId,
      principal: { kind: 'AssumedRoleUser', roleName: role.roleName, sessionName },
      securityToken,
      expiresAt,
    });
    const roleId = numericId(`${role.accountId}/role/${role.roleName}`);
    return {
      Credentials: { AccessKeyId: accessKeyId, AccessKeySecret: secret, SecurityToken: securityToken, Expiration: iso(expiresAt) },
      AssumedRoleUser: { Arn: `${roleArn(role.accountId, role.roleName)}/${sessionName}`, AssumedRoleId: `${roleId}:${sessionName}` },
    };
  }

  /**
   * A key STS handed out works only with its own SecurityToken and until it expires. Codes:
   * `MissingSecurityToken` "SecurityToken is mandatory for this action." (Alibaba Cloud, "STS
   * common errors", https://www.alibabacloud.com/help/doc-detail/42775.htm); a token that is not
   * the key's, or an expired one: `InvalidSecurityToken.MismatchWithAccessKey` and
   * `InvalidSecurityToken.Expired` (README, unverified: zpl renews a key 15 minutes before it expires).
   */
  checkToken(accessKeyId: string, securityToken: string | undefined, now: number): void {
    const key = this.keys.get(accessKeyId);
    if (!key?.securityToken) return;
    if (!securityToken) throw new ApiError('MissingSecurityToken', 'SecurityToken is mandatory for this action.', 400);
    if (securityToken !== key.securityToken)
      throw new ApiError('InvalidSecurityToken.MismatchWithAccessKey', 'Specified SecurityToken mismatch with the AccessKey.', 400);
    if (now >= key.expiresAt!) throw new ApiError('InvalidSecurityToken.Expired', 'Specified SecurityToken is expired.', 400);
  }

  /** The identity of a key the gateway has verified (every verified key is registered). */
  callerIdentity(accessKeyId: string): CallerIdentity {
    const { accountId, principal } = this.keys.get(accessKeyId)!;
    switch (principal.kind) {
      // UserId: "如果当前调用者是阿里云账号，则返回阿里云账号ID"; the account's ARN as RAM writes a whole
      // account in trust policies (`acs:ram::<account>:root`).
      case 'Account':
        return {
          IdentityType: 'Account',
          AccountId: accountId,
          PrincipalId: accountId,
          UserId: accountId,
          Arn: `acs:ram::${accountId}:root`,
        };
      // The metadata's example: `acs:ram::196813200012****:user/admin`.
      case 'RAMUser': {
        const userId = numericId(`${accountId}/user/${principal.userName}`);
        return {
          IdentityType: 'RAMUser',
          AccountId: accountId,
          PrincipalId: userId,
          UserId: userId,
          Arn: `acs:ram::${accountId}:user/${principal.userName}`,
        };
      }
      // RoleId only for a role; the session's ARN and ID as AssumeRole's AssumedRoleUser gives them
      // (`acs:ram::123456789012****:role/adminrole/alice`, `34458433936495****:alice`).
      case 'AssumedRoleUser': {
        const roleId = numericId(`${accountId}/role/${principal.roleName}`);
        return {
          IdentityType: 'AssumedRoleUser',
          AccountId: accountId,
          PrincipalId: `${roleId}:${principal.sessionName}`,
          RoleId: roleId,
          Arn: `acs:ram::${accountId}:role/${principal.roleName}/${principal.sessionName}`,
        };
      }
    }
  }
}
