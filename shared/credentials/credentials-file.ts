import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ecsRamRoleProvider } from './ecs-metadata.ts';
import { credentialsError, staticProvider, type CredentialProvider } from './provider.ts';
import { roleArnProvider } from './role-session.ts';
import { defaultSessionName, imdsV1Disabled, metadataEndpoint, read, stsLocation, type ChainSettings } from './settings.ts';

/** `[section]` and `key = value` lines (`;` and `#` start comments), the little INI the credentials file uses. */
export function parseIni(text: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  let section: Record<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith(';') || line.startsWith('#')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      section = out[header[1]!.trim()] ??= {};
      continue;
    }
    const eq = line.indexOf('=');
    if (section && eq > 0) section[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return out;
}

/**
 * The shared credentials file of the default chain (aliyun/credentials-nodejs
 * src/providers/profile.ts at f61774c7): ALIBABA_CLOUD_CREDENTIALS_FILE, else
 * ~/.alibabacloud/credentials; section ALIBABA_CLOUD_PROFILE, else `default`; `type` access_key,
 * ecs_ram_role (`role_name`) or ram_role_arn (`role_arn`, `role_session_name`, `policy`).
 */
export function credentialsFileProvider(s: ChainSettings): CredentialProvider {
  const path = read(s.env, 'ALIBABA_CLOUD_CREDENTIALS_FILE') ?? join(s.home, '.alibabacloud', 'credentials');
  const section = read(s.env, 'ALIBABA_CLOUD_PROFILE') ?? 'default';
  let inner: CredentialProvider | undefined;
  const resolve = async (): Promise<CredentialProvider> => {
    const text = await readFile(path, 'utf8').catch(() => {
      throw credentialsError('Credentials.NoProfileFile', `${path} cannot be read`);
    });
    const c = parseIni(text)[section];
    if (!c?.type) throw credentialsError('Credentials.ProfileNotFound', `no [${section}] with a type in ${path}`);
    const need = (k: string) =>
      c[k] || Promise.reject(credentialsError('Credentials.ProfileInvalid', `[${section}] of ${path} lacks ${k}`));
    const key = async () =>
      staticProvider({ accessKeyId: await need('access_key_id'), accessKeySecret: await need('access_key_secret') }, `[${section}]`);
    switch (c.type) {
      case 'access_key':
        return key();
      case 'ecs_ram_role':
        return ecsRamRoleProvider({
          endpoint: metadataEndpoint(s),
          roleName: c.role_name,
          disableImdsV1: imdsV1Disabled(s),
          clock: s.transport?.clock,
        });
      case 'ram_role_arn':
        return roleArnProvider(
          await key(),
          { roleArn: await need('role_arn'), sessionName: c.role_session_name || defaultSessionName(s), policy: c.policy },
          stsLocation(s),
        );
      default:
        throw credentialsError(
          'Credentials.ProfileModeUnsupported',
          `[${section}] of ${path} has type ${c.type}; zpl reads access_key, ecs_ram_role and ram_role_arn`,
        );
    }
  };
  return {
    name: `[${section}] of ${path}`,
    async getCredentials() {
      inner ??= await resolve();
      return inner.getCredentials();
    },
  };
}
