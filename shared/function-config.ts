import { systemClock, type Clock } from './clock.ts';
import { remoteClock } from './remote-clock.ts';

/**
 * A function's configuration: the one place the product's functions read their environment
 * (set in s.yaml, fed from KMS / Secrets Manager for secrets, or by the local stack). An empty
 * variable counts as unset.
 *
 * Steps: `ZILLIZ_API_KEY` (required by steps that call Zilliz), `ZPL_ZILLIZ_URL` (default: the
 * region's control plane), `ZPL_ALIBABA_ENDPOINT` (one base URL for every Alibaba product; default:
 * each product's public endpoint), `ZPL_VERIFY_VPC_ID` (the VPC the function runs in, s.yaml's
 * vpcConfig), `ZPL_ADDRESS_MAP` (the local stack's address map file), `ZPL_CLOCK_URL` (the local
 * stack's emulated clock), `ZPL_LOG_FILE` (log lines appended there instead of stderr).
 *
 * API and event functions: `ZPL_API_HMAC_SECRET`, `ZPL_API_TOKEN`, `ZPL_FNF_ENDPOINT` (the local
 * engine; default: the region's CloudFlow), `ZPL_CALLBACK_HOSTS` (where callbacks may go:
 * comma-separated `host:port` entries, a bare host meaning port 443), `ZPL_CALLBACK_SECRET`
 * (signs callbacks).
 */
export interface FunctionConfig {
  zillizApiKey?: string;
  zillizUrl?: string;
  alibabaEndpoint?: string;
  verifyVpcId?: string;
  addressMap?: string;
  clockUrl?: string;
  logFile?: string;
  apiHmacSecret?: string;
  apiToken?: string;
  fnfEndpoint?: string;
  callbackHosts: string[];
  callbackSecret?: string;
}

export function functionConfig(env: NodeJS.ProcessEnv = process.env): FunctionConfig {
  const read = (name: string): string | undefined => env[name] || undefined;
  return {
    zillizApiKey: read('ZILLIZ_API_KEY'),
    zillizUrl: read('ZPL_ZILLIZ_URL'),
    alibabaEndpoint: read('ZPL_ALIBABA_ENDPOINT'),
    verifyVpcId: read('ZPL_VERIFY_VPC_ID'),
    addressMap: read('ZPL_ADDRESS_MAP'),
    clockUrl: read('ZPL_CLOCK_URL'),
    logFile: read('ZPL_LOG_FILE'),
    apiHmacSecret: read('ZPL_API_HMAC_SECRET'),
    apiToken: read('ZPL_API_TOKEN'),
    fnfEndpoint: read('ZPL_FNF_ENDPOINT'),
    callbackHosts: (env.ZPL_CALLBACK_HOSTS ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
    callbackSecret: read('ZPL_CALLBACK_SECRET'),
  };
}

/** The local stack's emulated clock when `ZPL_CLOCK_URL` is set, else the system clock. */
export const configuredClock = async (config: FunctionConfig): Promise<Clock> =>
  config.clockUrl ? await remoteClock(config.clockUrl) : systemClock;
