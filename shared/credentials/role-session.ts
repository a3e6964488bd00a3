import { readFile } from 'node:fs/promises';
import { systemClock } from '../clock.ts';
import { credentialsError, type CredentialProvider } from './provider.ts';
import { expiresAt, sessionProvider, type Session } from './session.ts';
import { STS_ROLES } from '../aliyun/catalog/sts.ts';
import { stsTransport, type StsLocation } from './sts-client.ts';

/** What a role session is asked for (profile fields `ram_role_arn`, `ram_session_name`, `expired_seconds`…). */
export interface RoleSessionConfig {
  roleArn: string;
  sessionName: string;
  durationSeconds?: number;
  policy?: string;
}

const session = (answer: { Credentials: { AccessKeyId: string; AccessKeySecret: string; SecurityToken: string; Expiration: string } }) => ({
  key: {
    accessKeyId: answer.Credentials.AccessKeyId,
    accessKeySecret: answer.Credentials.AccessKeySecret,
    securityToken: answer.Credentials.SecurityToken,
  },
  expiresAt: expiresAt(answer.Credentials.Expiration),
});

/**
 * A RAM role's temporary key, asked of STS AssumeRole with the key of `source` (a profile's AK for
 * `RamRoleArn`, another profile's for `ChainableRamRoleArn`, the platform's for a link's
 * `assumeRole`): aliyun/credentials-nodejs src/providers/ram_role_arn.ts at f61774c7, which signs
 * AssumeRole with the previous provider's key and refreshes like every session provider.
 */
export function roleArnProvider(
  source: CredentialProvider,
  role: RoleSessionConfig & { externalId?: string },
  where: StsLocation,
): CredentialProvider {
  const sts = stsTransport(source, where).use('Sts', STS_ROLES);
  const fetch = async (): Promise<Session> =>
    session(
      await sts.call('Sts', 'AssumeRole', where.region, {
        RoleArn: role.roleArn,
        RoleSessionName: role.sessionName,
        DurationSeconds: role.durationSeconds,
        Policy: role.policy,
        ExternalId: role.externalId,
      }),
    );
  return sessionProvider(`ram_role_arn(${role.roleArn}) via ${source.name}`, fetch, where.transport?.clock ?? systemClock);
}

/**
 * A RAM role's temporary key for an OIDC token read from a file each time (a Kubernetes service
 * account token is rotated in place), asked of STS AssumeRoleWithOIDC without a signature:
 * aliyun/credentials-nodejs src/providers/oidc_role_arn.ts at f61774c7.
 */
export function oidcRoleProvider(
  role: RoleSessionConfig & { providerArn: string; tokenFile: string },
  where: StsLocation,
): CredentialProvider {
  const sts = stsTransport(undefined, where).use('Sts', STS_ROLES);
  const fetch = async (): Promise<Session> => {
    const token = await readFile(role.tokenFile, 'utf8').catch((e: NodeJS.ErrnoException) => {
      throw credentialsError(
        'Credentials.OidcTokenUnreadable',
        `the OIDC token file ${role.tokenFile} cannot be read (${e.code ?? e.message})`,
      );
    });
    const answer = await sts.call('Sts', 'AssumeRoleWithOIDC', where.region, {
      OIDCProviderArn: role.providerArn,
      RoleArn: role.roleArn,
      OIDCToken: token.trim(),
      RoleSessionName: role.sessionName,
      DurationSeconds: role.durationSeconds,
      Policy: role.policy,
    });
    return session(answer);
  };
  return sessionProvider(`oidc_role_arn(${role.roleArn})`, fetch, where.transport?.clock ?? systemClock);
}
