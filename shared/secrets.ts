import { AliyunTransport, type AccessKey } from './aliyun/rpc.ts';
import { KMS } from './aliyun/catalog/kms.ts';
import { isAliyunError } from './aliyun/errors.ts';
import { systemClock, type Clock } from './clock.ts';
import { StepFailure } from './steps/types.ts';

/**
 * The functions' secrets, read at run time. Each comes from KMS Secrets Manager when its
 * `<VARIABLE>_SECRET_NAME` names a secret (s.yaml sets the names, never the values), else from the
 * plain variable itself (the documented fallback; the local stack uses it). A KMS secret is read
 * with the function role's credentials (GetSecretValue, kms 2016-01-20: the ACSCurrent version
 * when no stage is given) and kept for five minutes per instance, so a rotated value arrives
 * within five minutes and a warm instance calls KMS at most once in that time. Values are never
 * logged: the transport logs actions and request IDs only, and a failure names the secret and
 * KMS's code, not its value.
 */
export const SECRETS = {
  zillizApiKey: 'ZILLIZ_API_KEY',
  apiHmacSecret: 'ZPL_API_HMAC_SECRET',
  apiToken: 'ZPL_API_TOKEN',
  callbackSecret: 'ZPL_CALLBACK_SECRET',
} as const;
export type SecretKey = keyof typeof SECRETS;
export type SecretVariable = (typeof SECRETS)[SecretKey];

/** The variable that names a secret's KMS secret: `ZILLIZ_API_KEY_SECRET_NAME`. */
const nameVariable = (variable: SecretVariable) => `${variable}_SECRET_NAME`;
export const secretNameVariable = (key: SecretKey) => nameVariable(SECRETS[key]);

export const SECRET_CACHE_MS = 5 * 60_000;

export interface SecretSource {
  env: NodeJS.ProcessEnv;
  /** The function role's credentials (FC's context.credentials). */
  credentials: AccessKey;
  region: string;
  /** One base URL for every Alibaba product (`ZPL_ALIBABA_ENDPOINT`); default: KMS's public endpoint. */
  endpoint?: string;
  clock?: Clock;
}

const cache = new Map<string, { value: string; at: number }>();

/** The variable's secret value, or undefined when neither a KMS secret nor the variable is configured. */
export async function readSecret(variable: SecretVariable, source: SecretSource): Promise<string | undefined> {
  const name = source.env[nameVariable(variable)] || undefined;
  if (!name) return source.env[variable] || undefined;
  const clock = source.clock ?? systemClock;
  const known = cache.get(name);
  if (known && clock.now() - known.at < SECRET_CACHE_MS) return known.value;
  const transport = new AliyunTransport({ credentials: source.credentials, endpoint: source.endpoint, clock }).use('Kms', KMS);
  try {
    const answer = await transport.call('Kms', 'GetSecretValue', source.region, { SecretName: name });
    cache.set(name, { value: answer.SecretData, at: clock.now() });
    return answer.SecretData;
  } catch (e) {
    // A step reports it as its failure (code and message); the API and callbacks fail the invocation.
    throw new StepFailure('Config.SecretUnavailable', `${variable}: KMS secret ${name} unreadable (${isAliyunError(e) ? e.code : e})`);
  }
}
