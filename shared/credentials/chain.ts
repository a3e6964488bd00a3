import { cliProfileProvider } from './cli-profile.ts';
import { credentialsFileProvider } from './credentials-file.ts';
import { ecsRamRoleProvider } from './ecs-metadata.ts';
import { environmentProvider } from './env.ts';
import { credentialsError, type CredentialProvider } from './provider.ts';
import { oidcRoleProvider } from './role-session.ts';
import { credentialsUriProvider } from './uri.ts';
import {
  defaultSessionName,
  imdsV1Disabled,
  isTrue,
  metadataEndpoint,
  metadataWanted,
  read,
  stsLocation,
  type ChainSettings,
} from './settings.ts';

/**
 * The default credential chain as aliyun/credentials-nodejs src/providers/default.ts (f61774c7)
 * orders it: the environment's key; OIDC (ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN,
 * ALIBABA_CLOUD_OIDC_TOKEN_FILE); the CLI's ~/.aliyun/config.json; the shared credentials file;
 * the ECS instance role. The first source that gives a key is kept for later calls, as the
 * library keeps `lastUsedProvider`. Differences, each so that nothing dials a host the
 * configuration did not name: STS and the metadata service honour zpl's endpoint overrides; the
 * metadata service is asked only when the environment says zpl runs on ECS (settings.ts); the
 * library's last source, a credentials server at ALIBABA_CLOUD_CREDENTIALS_URI (uri.ts), only when
 * that is set. `--profile` names one CLI profile and uses it alone.
 */
export function defaultChain(s: ChainSettings): CredentialProvider {
  if (s.profile) return cliProfileProvider(s, s.profile);
  const sources: CredentialProvider[] = [environmentProvider(s.env)];
  const roleArn = read(s.env, 'ALIBABA_CLOUD_ROLE_ARN');
  const providerArn = read(s.env, 'ALIBABA_CLOUD_OIDC_PROVIDER_ARN');
  const tokenFile = read(s.env, 'ALIBABA_CLOUD_OIDC_TOKEN_FILE');
  if (roleArn && providerArn && tokenFile)
    sources.push(oidcRoleProvider({ roleArn, providerArn, tokenFile, sessionName: defaultSessionName(s) }, stsLocation(s)));
  if (!isTrue(s.env, 'ALIBABA_CLOUD_CLI_PROFILE_DISABLED')) sources.push(cliProfileProvider(s, read(s.env, 'ALIBABA_CLOUD_PROFILE')));
  sources.push(credentialsFileProvider(s));
  if (metadataWanted(s))
    sources.push(
      ecsRamRoleProvider({
        endpoint: metadataEndpoint(s),
        roleName: read(s.env, 'ALIBABA_CLOUD_ECS_METADATA'),
        disableImdsV1: imdsV1Disabled(s),
        clock: s.transport?.clock,
      }),
    );
  const uri = read(s.env, 'ALIBABA_CLOUD_CREDENTIALS_URI');
  if (uri) sources.push(credentialsUriProvider(uri, s.transport?.clock));
  return firstThatAnswers(sources);
}

function firstThatAnswers(sources: CredentialProvider[]): CredentialProvider {
  let chosen: CredentialProvider | undefined;
  return {
    get name() {
      return chosen ? `default chain: ${chosen.name}` : 'default chain';
    },
    async getCredentials() {
      if (chosen) return chosen.getCredentials();
      const reasons: string[] = [];
      for (const source of sources) {
        try {
          const key = await source.getCredentials();
          chosen = source;
          return key;
        } catch (e) {
          reasons.push(`${source.name}: ${(e as Error).message}`);
        }
      }
      throw credentialsError('NoCredentials', `no source of the default chain gave a key (${reasons.join('; ')})`);
    },
  };
}
