import { appendFileSync } from 'node:fs';
import { aliyunApis } from '../aliyun/index.ts';
import { systemClock } from '../clock.ts';
import type { FcContext } from '../fc-context.ts';
import { jsonLogger, silentLogger, type Logger } from '../log.ts';
import type { AccessKey } from '../aliyun/rpc.ts';
import type { Clock } from '../clock.ts';
import type { Network } from '../net/network.ts';
import type { RetryBudget, RetryPolicy } from '../retry.ts';
import { invocationBudget } from './invocation-budget.ts';
import { mappedNetwork } from '../net/address-map.ts';
import { systemNetwork, vpcNetwork } from '../net/network.ts';
import { remoteClock } from '../remote-clock.ts';
import { zillizApiBase } from '../regions.ts';
import { ZillizClient } from '../zilliz/client.ts';
import { StepFailure, type StepDeps } from './types.ts';

/**
 * Builds a step's clients from the function's configuration (environment variables, set in
 * s.yaml or by the local stack) and FC's context (the role's temporary credentials):
 *
 * - `ZILLIZ_API_KEY` (required), `ZPL_ZILLIZ_URL` (default: the region's control plane, `zillizApiBase`)
 * - `ZPL_ALIBABA_ENDPOINT`: one base URL for every Alibaba product (default: each product's public endpoint)
 * - `ZPL_VERIFY_VPC_ID`: the VPC the function runs in (s.yaml's vpcConfig); Verify checks names only from there
 * - `ZPL_ADDRESS_MAP`: the local stack's address map file (default: the VPC's own network)
 * - `ZPL_CLOCK_URL`: the local stack's emulated clock (default: the system clock)
 * - `ZPL_LOG_FILE`: append log lines there instead of stderr
 */
export async function depsFromEnvironment(context: FcContext, log: Logger, env: NodeJS.ProcessEnv = process.env): Promise<StepDeps> {
  const apiKey = env.ZILLIZ_API_KEY;
  if (!apiKey) throw new StepFailure('Config.Missing', 'ZILLIZ_API_KEY is not set for this function');
  const { accessKeyId, accessKeySecret, securityToken } = context.credentials;
  return stepDeps({
    region: context.region,
    credentials: { accessKeyId, accessKeySecret, securityToken },
    alibabaEndpoint: env.ZPL_ALIBABA_ENDPOINT || undefined,
    zillizApiKey: apiKey,
    zillizUrl: env.ZPL_ZILLIZ_URL || undefined,
    clock: env.ZPL_CLOCK_URL ? await remoteClock(env.ZPL_CLOCK_URL) : systemClock,
    log,
    network: env.ZPL_ADDRESS_MAP ? mappedNetwork(env.ZPL_ADDRESS_MAP) : vpcNetwork(env.ZPL_VERIFY_VPC_ID || undefined),
    budgetSeconds: context.function.timeout,
  });
}

/** The clients a step uses, for one region: the one place they are put together (functions, CLI, benchmarks). */
export function stepDeps(o: {
  region: string;
  credentials: AccessKey;
  alibabaEndpoint?: string;
  zillizApiKey: string;
  zillizUrl?: string;
  clock?: Clock;
  log?: Logger;
  network?: Network;
  retry?: RetryPolicy;
  /** The invocation's timeout (FC's `context.function.timeout`): retries last until just before it. */
  budgetSeconds?: number;
}): StepDeps {
  const clock = o.clock ?? systemClock;
  const log = o.log ?? silentLogger;
  const retryBudget: RetryBudget | undefined = o.budgetSeconds !== undefined ? invocationBudget(clock, o.budgetSeconds) : undefined;
  const budget = retryBudget ? { retryBudget } : {};
  return {
    aliyun: aliyunApis(o.region, {
      credentials: o.credentials,
      endpoint: o.alibabaEndpoint,
      clock,
      log,
      ...(o.retry ? { retry: o.retry } : {}),
      ...budget,
    }),
    zilliz: new ZillizClient({ apiKey: o.zillizApiKey, baseUrl: o.zillizUrl ?? zillizApiBase(o.region), clock, log, ...budget }),
    clock,
    log,
    network: o.network ?? systemNetwork,
  };
}

/** JSON lines to stderr (FC collects them), or appended to `ZPL_LOG_FILE` when set (the local stack). */
export function stepLogger(step: string, context: FcContext, env: NodeJS.ProcessEnv = process.env): Logger {
  const file = env.ZPL_LOG_FILE;
  const write = file ? (line: string) => appendFileSync(file, `${line}\n`) : undefined;
  return jsonLogger(write, { step, requestId: context.requestId, function: context.function.name });
}
