import { createHash } from 'node:crypto';

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

export class StsModel {
  private readonly keys = new Map<string, { accountId: string; principal: Principal }>();

  register(accessKeyId: string, accountId: string, principal: Principal): void {
    this.keys.set(accessKeyId, { accountId, principal });
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
