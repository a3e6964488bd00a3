import { appendFileSync } from 'node:fs';
import { aliyunApis } from '../aliyun/index.ts';
import { systemClock } from '../clock.ts';
import type { FcContext } from '../fc-context.ts';
import { jsonLogger, type Logger } from '../log.ts';
import { mappedNetwork } from '../net/address-map.ts';
import { systemNetwork } from '../net/network.ts';
import { remoteClock } from '../remote-clock.ts';
import { ZillizClient } from '../zilliz/client.ts';
import { StepFailure, type StepDeps } from './types.ts';

/**
 * Builds a step's clients from the function's configuration (environment variables, set in
 * s.yaml or by the local stack) and FC's context (the role's temporary credentials):
 *
 * - `ZILLIZ_API_KEY` (required), `ZPL_ZILLIZ_URL` (default: the China site)
 * - `ZPL_ALIBABA_ENDPOINT`: one base URL for every Alibaba product (default: each product's public endpoint)
 * - `ZPL_ADDRESS_MAP`: the local stack's address map file (default: the VPC's own network)
 * - `ZPL_CLOCK_URL`: a clock endpoint to share scaled time with (default: the system clock)
 * - `ZPL_LOG_FILE`: append log lines there instead of stderr
 */
export async function depsFromEnvironment(context: FcContext, log: Logger, env: NodeJS.ProcessEnv = process.env): Promise<StepDeps> {
  const apiKey = env.ZILLIZ_API_KEY;
  if (!apiKey) throw new StepFailure('Config.Missing', 'ZILLIZ_API_KEY is not set for this function');
  const clock = env.ZPL_CLOCK_URL ? await remoteClock(env.ZPL_CLOCK_URL) : systemClock;
  const { accessKeyId, accessKeySecret, securityToken } = context.credentials;
  return {
    aliyun: aliyunApis(context.region, { credentials: { accessKeyId, accessKeySecret, securityToken }, endpoint: env.ZPL_ALIBABA_ENDPOINT || undefined, clock, log }),
    zilliz: new ZillizClient({ apiKey, baseUrl: env.ZPL_ZILLIZ_URL || undefined, clock, log }),
    clock,
    log,
    network: env.ZPL_ADDRESS_MAP ? mappedNetwork(env.ZPL_ADDRESS_MAP) : systemNetwork,
  };
}

/** JSON lines to stderr (FC collects them), or appended to `ZPL_LOG_FILE` when set (the local stack). */
export function stepLogger(step: string, context: FcContext, env: NodeJS.ProcessEnv = process.env): Logger {
  const file = env.ZPL_LOG_FILE;
  const write = file ? (line: string) => appendFileSync(file, `${line}\n`) : undefined;
  return jsonLogger(write, { step, requestId: context.requestId, function: context.function.name });
}
