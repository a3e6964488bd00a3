/**
 * A cross-account run's role session. `npm run build` keeps this module beside each step's bundle
 * (`run-as.js`, cli/build.ts) and the runtime loads it only for a spec with `assumeRole`, so a run
 * in the platform's own account never loads it.
 */
import type { Clock } from '../clock.ts';
import { refuseUnlisted } from '../role-allowlist.ts';

// For the drift check's Discover, which loads this module only when a check names roles.
export { refuseUnlisted };
import type { Logger } from '../log.ts';
import type { AccessKey, CredentialProvider } from '../credentials/provider.ts';
import { staticProvider } from '../credentials/provider.ts';
import { roleArnProvider } from '../credentials/role-session.ts';
import type { FunctionConfig } from '../function-config.ts';
import type { RunAs } from './run-as-request.ts';

/**
 * The execution's name as STS takes a RoleSessionName: "长度为2~64个字符，可包含英文字母、数字和特殊字符
 * `.@-_`" (sts_2015-04-01.json, AssumeRole). ActionTrail then shows which run acted.
 */
export function roleSessionName(execution: string): string {
  const name = execution.replace(/[^A-Za-z0-9.@_-]/g, '-').slice(0, 64);
  return name.length >= 2 ? name : `zpl-${name}`;
}

// One session per run, role and caller, reused by every step the same instance runs until it is
// stale (session.ts); at most this many are kept.
const MAX_SESSIONS = 64;
const sessions = new Map<string, CredentialProvider>();

/**
 * The run's role session, asked of STS with `base` (the function's own key) through `sts`
 * (ZPL_STS_ENDPOINT / ZPL_ALIBABA_ENDPOINT, else sts.<region>).
 */
export function runCredentials(
  base: AccessKey,
  runAs: RunAs,
  where: { region: string; endpoint?: string; clock: Clock; log: Logger },
): CredentialProvider {
  const key = [runAs.execution, runAs.arn.toLowerCase(), runAs.externalId ?? '', base.accessKeyId, where.endpoint ?? where.region].join(
    '|',
  );
  let provider = sessions.get(key);
  if (!provider) {
    provider = roleArnProvider(
      staticProvider(base, 'the function role'),
      { roleArn: runAs.arn, sessionName: roleSessionName(runAs.execution), externalId: runAs.externalId },
      { region: where.region, endpoint: where.endpoint, transport: { clock: where.clock, timeoutClock: where.clock, log: where.log } },
    );
    if (sessions.size >= MAX_SESSIONS) sessions.delete(sessions.keys().next().value!);
    sessions.set(key, provider);
  }
  return provider;
}

/**
 * The run's role session once the deployment's allowlist (`ZPL_ASSUME_ROLES`) admits the role,
 * asked of STS at ZPL_STS_ENDPOINT, else ZPL_ALIBABA_ENDPOINT, else sts.<region>; taken now, so
 * STS's refusal fails the step with STS's own code.
 */
export async function roleCredentials(
  config: Pick<FunctionConfig, 'assumeRoles' | 'stsEndpoint' | 'alibabaEndpoint'>,
  base: AccessKey,
  runAs: RunAs,
  region: string,
  clock: Clock,
  log: Logger,
): Promise<CredentialProvider> {
  refuseUnlisted(config.assumeRoles, runAs.arn);
  const provider = runCredentials(base, runAs, { region, endpoint: config.stsEndpoint ?? config.alibabaEndpoint, clock, log });
  await provider.getCredentials();
  return provider;
}
