import { systemClock, type Clock } from '../clock.ts';
import { credentialsError, type CredentialProvider } from './provider.ts';
import { expiresAt, sessionProvider, type Session } from './session.ts';

/**
 * The ECS instance RAM role's temporary key from the instance metadata service, as
 * aliyun/credentials-nodejs src/providers/ecs_ram_role.ts (f61774c7) asks for it: a token first
 * (`PUT /latest/api/token` with `X-aliyun-ecs-metadata-token-ttl-seconds: 21600`, IMDSv2, which an
 * instance in hardened mode requires), then the role name (`GET
 * /latest/meta-data/ram/security-credentials/`, unless configured) and its key (`…/<role>`), both
 * with `X-aliyun-ecs-metadata-token`; an answer whose `Code` is not `Success` is refused. Without a
 * token the library falls back to IMDSv1 unless ALIBABA_CLOUD_IMDSV1_DISABLED; so does this.
 * `endpoint` is the service's base URL (the library's fixed http://100.100.100.200, or
 * ZPL_ECS_METADATA_ENDPOINT).
 */
export const ECS_METADATA_ENDPOINT = 'http://100.100.100.200';
const TOKEN_TTL_SECONDS = 21600;
// The library's default connect and read timeouts: 1 s each.
const TIMEOUT_MS = 2000;

export interface EcsRoleConfig {
  endpoint: string;
  roleName?: string;
  disableImdsV1?: boolean;
  clock?: Clock;
}

export function ecsRamRoleProvider(config: EcsRoleConfig): CredentialProvider {
  const base = config.endpoint.replace(/\/+$/, '');
  const get = async (path: string, token: string | undefined) => {
    const res = await fetch(`${base}${path}`, {
      headers: token ? { 'x-aliyun-ecs-metadata-token': token } : {},
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const text = await res.text();
    if (res.status !== 200)
      throw credentialsError(
        'Credentials.EcsMetadataRefused',
        `the ECS metadata service answered ${res.status} for ${path}: ${text.slice(0, 200)}`,
      );
    return text;
  };
  const metadataToken = async (): Promise<string | undefined> => {
    try {
      const res = await fetch(`${base}/latest/api/token`, {
        method: 'PUT',
        headers: { 'x-aliyun-ecs-metadata-token-ttl-seconds': String(TOKEN_TTL_SECONDS) },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
      return text;
    } catch (e) {
      if (config.disableImdsV1)
        throw credentialsError('Credentials.EcsMetadataUnreachable', `no ECS metadata token from ${base}: ${(e as Error).message}`);
      return undefined;
    }
  };
  const fetchSession = async (): Promise<Session> => {
    const token = await metadataToken();
    const roleName = config.roleName || (await get('/latest/meta-data/ram/security-credentials/', token)).trim();
    const answer = JSON.parse(await get(`/latest/meta-data/ram/security-credentials/${encodeURIComponent(roleName)}`, token)) as {
      Code?: string;
      AccessKeyId?: string;
      AccessKeySecret?: string;
      SecurityToken?: string;
      Expiration?: string;
    };
    if (answer.Code !== 'Success' || !answer.AccessKeyId || !answer.AccessKeySecret || !answer.SecurityToken)
      throw credentialsError(
        'Credentials.EcsMetadataRefused',
        `the ECS metadata service gave no key for role ${roleName} (Code ${answer.Code})`,
      );
    return {
      key: { accessKeyId: answer.AccessKeyId, accessKeySecret: answer.AccessKeySecret, securityToken: answer.SecurityToken },
      expiresAt: expiresAt(answer.Expiration ?? ''),
    };
  };
  return sessionProvider(`ecs_ram_role(${config.roleName ?? 'the instance role'})`, fetchSession, config.clock ?? systemClock);
}
