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
import { systemNetwork, vpcNetwork } from '../net/network.ts';
import { zillizApiBase } from '../regions.ts';
import { configuredClock, functionConfig, type FunctionConfig } from '../function-config.ts';
import { ZillizClient } from '../zilliz/client.ts';
import { StepFailure, type StepDeps } from './types.ts';

/**
 * Builds a step's clients from the function's configuration (shared/function-config.ts: Zilliz key
 * and URL, Alibaba endpoint, VPC, address map, clock) and FC's context (the role's temporary
 * credentials). Defaults: the region's Zilliz control plane, each product's public endpoint, the
 * VPC's own network, the system clock.
 */
export async function depsFromEnvironment(
  context: FcContext,
  log: Logger,
  env: NodeJS.ProcessEnv = process.env,
  networkFor: NetworkFor = (config) => vpcNetwork(config.verifyVpcId),
): Promise<StepDeps> {
  const config = functionConfig(env);
  const apiKey = config.zillizApiKey;
  if (!apiKey) throw new StepFailure('Config.Missing', 'ZILLIZ_API_KEY is not set for this function');
  const { accessKeyId, accessKeySecret, securityToken } = context.credentials;
  return stepDeps({
    region: context.region,
    credentials: { accessKeyId, accessKeySecret, securityToken },
    alibabaEndpoint: config.alibabaEndpoint,
    zillizApiKey: apiKey,
    zillizUrl: config.zillizUrl,
    clock: await configuredClock(config),
    log,
    network: networkFor(config),
    budgetSeconds: context.function.timeout,
  });
}

/**
 * The network a step sees, from the function's configuration. Only Verify looks at the network;
 * it passes the one that also reads the local stack's address map (shared/net/verify-network.ts),
 * so no other function's bundle carries that reader.
 */
export type NetworkFor = (config: FunctionConfig) => Network;

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
      // A call's timeout on the same clock: the system's in the cloud, the emulated one locally (a
      // reply slower than the timeout then times out in emulated time, whatever the machine's speed).
      timeoutClock: clock,
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
  const file = functionConfig(env).logFile;
  const write = file ? (line: string) => appendFileSync(file, `${line}\n`) : undefined;
  return jsonLogger(write, { step, requestId: context.requestId, function: context.function.name });
}
