import type { AliyunTransport } from './rpc.ts';
import { STS } from './catalog/sts.ts';

/** What AssumeRole and AssumeRoleWithOIDC are asked for (sts_2015-04-01.json). */
export interface RoleRequest {
  roleArn: string;
  sessionName: string;
  /** 900 up to the role's MaxSessionDuration; STS's default is 3600. */
  durationSeconds?: number;
  policy?: string;
}

/** STS 2015-04-01: who the credentials in use are, and role sessions. */
export class StsApi {
  constructor(
    private readonly rpc: AliyunTransport,
    private readonly region: string,
  ) {
    rpc.use('Sts', STS);
  }

  /** The account, identity type and ARN of the caller (any identity may ask; no parameters). */
  callerIdentity() {
    return this.rpc.call('Sts', 'GetCallerIdentity', this.region, {});
  }

  /** A temporary key of `roleArn` for the caller (a RAM user or role session; STS refuses an account's own key). */
  assumeRole(r: RoleRequest & { externalId?: string }) {
    return this.rpc.call('Sts', 'AssumeRole', this.region, {
      RoleArn: r.roleArn,
      RoleSessionName: r.sessionName,
      DurationSeconds: r.durationSeconds,
      Policy: r.policy,
      ExternalId: r.externalId,
    });
  }

  /** A temporary key of `roleArn` for the holder of an OIDC token (unsigned: the token is the proof). */
  assumeRoleWithOidc(r: RoleRequest & { providerArn: string; token: string }) {
    return this.rpc.call('Sts', 'AssumeRoleWithOIDC', this.region, {
      OIDCProviderArn: r.providerArn,
      RoleArn: r.roleArn,
      OIDCToken: r.token,
      RoleSessionName: r.sessionName,
      DurationSeconds: r.durationSeconds,
      Policy: r.policy,
    });
  }
}
