import { systemClock, type Clock } from './clock.ts';
import { remoteClock } from './remote-clock.ts';

/**
 * A function's configuration: the one place the product's functions read their environment
 * (set in s.yaml, or by the local stack). An empty variable counts as unset. The secrets —
 * `ZILLIZ_API_KEY` (steps that call Zilliz), `ZPL_API_HMAC_SECRET` and `ZPL_API_TOKEN` (the API),
 * `ZPL_CALLBACK_SECRET` (signs callbacks) — are read at run time by shared/secrets.ts, from KMS
 * Secrets Manager when `<VARIABLE>_SECRET_NAME` names a secret, else from the variable.
 *
 * Steps: `ZPL_ZILLIZ_URL` (default: the
 * region's control plane), `ZPL_ALIBABA_ENDPOINT` (one base URL for every Alibaba product; default:
 * each product's public endpoint), `ZPL_VERIFY_VPC_ID` (the VPC the function runs in, s.yaml's
 * vpcConfig), `ZPL_ADDRESS_MAP` (the local stack's address map file), `ZPL_CLOCK_URL` (the local
 * stack's emulated clock), `ZPL_LOG_FILE` (log lines appended there instead of stderr),
 * `ZPL_ASSUME_ROLES` (comma-separated role ARNs, `*` wildcards, a link's `assumeRole` may name;
 * none by default), `ZPL_STS_ENDPOINT` (STS for those role sessions; default ZPL_ALIBABA_ENDPOINT,
 * else sts.<region>).
 *
 * API and event functions: `ZPL_FNF_ENDPOINT` (the local engine; default: the region's CloudFlow),
 * `ZPL_CALLBACK_HOSTS` (where callbacks may go: comma-separated `host:port` entries, a bare host
 * meaning port 443).
 */
export interface FunctionConfig {
  zillizUrl?: string;
  alibabaEndpoint?: string;
  verifyVpcId?: string;
  addressMap?: string;
  clockUrl?: string;
  logFile?: string;
  assumeRoles: string[];
  stsEndpoint?: string;
  fnfEndpoint?: string;
  callbackHosts: string[];
}

export function functionConfig(env: NodeJS.ProcessEnv = process.env): FunctionConfig {
  const read = (name: string): string | undefined => env[name] || undefined;
  return {
    zillizUrl: read('ZPL_ZILLIZ_URL'),
    alibabaEndpoint: read('ZPL_ALIBABA_ENDPOINT'),
    verifyVpcId: read('ZPL_VERIFY_VPC_ID'),
    addressMap: read('ZPL_ADDRESS_MAP'),
    clockUrl: read('ZPL_CLOCK_URL'),
    logFile: read('ZPL_LOG_FILE'),
    assumeRoles: list(env.ZPL_ASSUME_ROLES),
    stsEndpoint: read('ZPL_STS_ENDPOINT'),
    fnfEndpoint: read('ZPL_FNF_ENDPOINT'),
    callbackHosts: list(env.ZPL_CALLBACK_HOSTS).map((h) => h.toLowerCase()),
  };
}

/** A comma-separated variable's items, trimmed, empty ones dropped. */
const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

/** The local stack's emulated clock when `ZPL_CLOCK_URL` is set, else the system clock. */
export const configuredClock = async (config: FunctionConfig): Promise<Clock> =>
  config.clockUrl ? await remoteClock(config.clockUrl) : systemClock;
