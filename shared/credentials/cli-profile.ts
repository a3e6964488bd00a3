import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ecsRamRoleProvider } from './ecs-metadata.ts';
import { externalProcessProvider } from './external.ts';
import { credentialsError, staticProvider, type CredentialProvider } from './provider.ts';
import { oidcRoleProvider, roleArnProvider } from './role-session.ts';
import { defaultSessionName, imdsV1Disabled, metadataEndpoint, stsLocation, type ChainSettings } from './settings.ts';

/** A profile of the Alibaba Cloud CLI's ~/.aliyun/config.json (the fields zpl reads). */
interface CliProfile {
  name: string;
  mode?: string;
  access_key_id?: string;
  access_key_secret?: string;
  sts_token?: string;
  ram_role_arn?: string;
  ram_session_name?: string;
  expired_seconds?: number;
  duration_seconds?: number;
  sts_region?: string;
  sts_endpoint?: string;
  source_profile?: string;
  ram_role_name?: string;
  oidc_token_file?: string;
  oidc_provider_arn?: string;
  process_command?: string;
}

interface CliConfig {
  current?: string;
  profiles?: CliProfile[];
}

export const cliConfigPath = (s: ChainSettings) => join(s.home, '.aliyun', 'config.json');

/**
 * The CLI profile source of the default chain (aliyun/credentials-nodejs
 * src/providers/cli_profile.ts at f61774c7): ~/.aliyun/config.json, the profile named by
 * `--profile`, else ALIBABA_CLOUD_PROFILE, else the file's `current`. Modes: `AK`, `StsToken`,
 * `RamRoleArn` (AssumeRole with the profile's own key), `ChainableRamRoleArn` (AssumeRole with
 * `source_profile`'s key), `EcsRamRole` (the instance role), `OIDC` (AssumeRoleWithOIDC), `External`
 * (a command of the user's prints the key: external.ts). The library's `CloudSSO` and `OAuth` modes
 * are refused by name: both trade a token from the aliyun CLI's browser sign-in for a key, at the
 * profile's `cloud_sso_sign_in_url` (CloudSSO) or at Alibaba's fixed OAuth hosts (cli_profile.ts
 * `OAUTH_BASE_URL_MAP`: oauth.aliyun.com, oauth.alibabacloud.com), and the tokens are renewed
 * only by that sign-in; zpl reads neither (an External profile or a credentials server can hand
 * it the key the CLI got).
 */
export function cliProfileProvider(s: ChainSettings, profileName: string | undefined): CredentialProvider {
  let inner: Promise<CredentialProvider> | undefined;
  const resolve = async () => {
    const path = cliConfigPath(s);
    const text = await readFile(path, 'utf8').catch(() => {
      throw credentialsError('Credentials.NoProfileFile', `${path} cannot be read`);
    });
    let config: CliConfig;
    try {
      config = JSON.parse(text) as CliConfig;
    } catch {
      throw credentialsError('Credentials.ProfileInvalid', `${path} is not JSON`);
    }
    if (!config.profiles?.length) throw credentialsError('Credentials.ProfileInvalid', `${path} has no profiles`);
    const name = profileName ?? config.current;
    if (!name) throw credentialsError('Credentials.ProfileNotFound', `${path} names no current profile: pass --profile`);
    return profileProvider(s, config.profiles, name, []);
  };
  return {
    name: `profile ${profileName ?? '(current)'} of ~/.aliyun/config.json`,
    async getCredentials() {
      inner ??= resolve();
      inner.catch(() => (inner = undefined));
      return (await inner).getCredentials();
    },
  };
}

function profileProvider(s: ChainSettings, profiles: CliProfile[], name: string, seen: string[]): CredentialProvider {
  const p = profiles.find((q) => q.name === name);
  if (!p) throw credentialsError('Credentials.ProfileNotFound', `no profile ${name} in ${cliConfigPath(s)}`);
  if (seen.includes(name))
    throw credentialsError('Credentials.ProfileInvalid', `profile ${name} is its own source (${[...seen, name].join(' → ')})`);
  const label = `profile ${name}`;
  const need = (field: keyof CliProfile) => {
    const v = p[field];
    if (v === undefined || v === '') throw credentialsError('Credentials.ProfileInvalid', `${label} (mode ${p.mode}) lacks ${field}`);
    return String(v);
  };
  const ownKey = () => staticProvider({ accessKeyId: need('access_key_id'), accessKeySecret: need('access_key_secret') }, label);
  const role = () => ({
    roleArn: need('ram_role_arn'),
    sessionName: p.ram_session_name || defaultSessionName(s),
    durationSeconds: p.duration_seconds || p.expired_seconds || undefined,
  });
  const sts = () => stsLocation(s, { stsRegion: p.sts_region, stsEndpoint: p.sts_endpoint });
  switch (p.mode) {
    case 'AK':
      return ownKey();
    case 'StsToken':
      return staticProvider(
        { accessKeyId: need('access_key_id'), accessKeySecret: need('access_key_secret'), securityToken: need('sts_token') },
        label,
      );
    case 'RamRoleArn':
      return roleArnProvider(ownKey(), role(), sts());
    case 'ChainableRamRoleArn':
      return roleArnProvider(profileProvider(s, profiles, need('source_profile'), [...seen, name]), role(), sts());
    case 'EcsRamRole':
      return ecsRamRoleProvider({
        endpoint: metadataEndpoint(s),
        roleName: p.ram_role_name || undefined,
        disableImdsV1: imdsV1Disabled(s),
        clock: s.transport?.clock,
      });
    case 'OIDC':
      return oidcRoleProvider({ ...role(), providerArn: need('oidc_provider_arn'), tokenFile: need('oidc_token_file') }, sts());
    case 'External':
      return externalProcessProvider(need('process_command'), label, s.transport?.clock);
    default:
      throw credentialsError(
        'Credentials.ProfileModeUnsupported',
        `${label} has mode ${p.mode ?? '(none)'}; zpl reads AK, StsToken, RamRoleArn, ChainableRamRoleArn, EcsRamRole, OIDC and External profiles (for CloudSSO or OAuth, sign in with the aliyun CLI and run zpl with an External profile or the key it exports)`,
      );
  }
}
