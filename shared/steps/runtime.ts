import { appendFileSync } from 'node:fs';
import { aliyunApis } from '../aliyun/index.ts';
import { systemClock } from '../clock.ts';
import type { FcContext } from '../fc-context.ts';
import { jsonLogger, silentLogger, type Logger } from '../log.ts';
import type { AccessKey, CredentialProvider } from '../credentials/provider.ts';
import { keyFromEnvironment } from '../credentials/env.ts';
import type { RunAs } from './run-as-request.ts';
import type { Clock } from '../clock.ts';
import type { Network } from '../net/network.ts';
import type { RetryBudget, RetryPolicy } from '../retry.ts';
import { invocationBudget } from './invocation-budget.ts';
import { noNetwork } from '../net/no-network.ts';
import { zillizApiBase } from '../regions.ts';
import { configuredClock, functionConfig, type FunctionConfig } from '../function-config.ts';
import { readSecret } from '../secrets.ts';
import { ZillizClient } from '../zilliz/client.ts';
import { StepFailure, type StepDeps } from './types.ts';

/**
 * The function role's temporary key: FC's `context.credentials` ("After you configure a role for a
 * function, Function Compute obtains a set of temporary keys through the AssumeRole API…",
 * https://help.aliyun.com/en/functioncompute/context-1-1), else the same key in
 * ALIBABA_CLOUD_ACCESS_KEY_ID / _SECRET / ALIBABA_CLOUD_SECURITY_TOKEN, which FC 3.0 also sets
 * (shared/credentials/env.ts).
 */
export function functionKey(context: FcContext, env: NodeJS.ProcessEnv): AccessKey {
  const key = context.credentials?.accessKeyId ? context.credentials : keyFromEnvironment(env);
  if (!key) throw new StepFailure('Config.NoCredentials', 'the function has no role');
  return key;
}

/**
 * Builds a step's clients from the function's configuration (shared/function-config.ts: Zilliz URL, Alibaba endpoint, VPC, address map, clock) and FC's context (the role's temporary
 * credentials). Defaults: the region's Zilliz control plane, each product's public endpoint, the
 * VPC's own network, the system clock. The Zilliz key is read at run time (shared/secrets.ts), with
 * the function's own key. A run with `runAs` acts as that role, once the deployment's allowlist
 * (ZPL_ASSUME_ROLES) admits it.
 */
export async function depsFromEnvironment(
  context: FcContext,
  log: Logger,
  env: NodeJS.ProcessEnv = process.env,
  networkFor: NetworkFor = () => noNetwork,
  runAs?: RunAs,
): Promise<StepDeps> {
  const config = functionConfig(env);
  const base = functionKey(context, env);
  const clock = await configuredClock(config);
  const apiKey = await readSecret('ZILLIZ_API_KEY', {
    env,
    credentials: base,
    region: context.region,
    endpoint: config.alibabaEndpoint,
    clock,
  });
  if (!apiKey) throw new StepFailure('Config.Missing', 'ZILLIZ_API_KEY(_SECRET_NAME) is not set for this function');
  // Loaded only for a cross-account run (a module of its own beside the bundle).
  const credentials = runAs ? await (await import('./run-as.ts')).roleCredentials(config, base, runAs, context.region, clock, log) : base;
  return stepDeps({
    region: context.region,
    credentials,
    alibabaEndpoint: config.alibabaEndpoint,
    zillizApiKey: apiKey,
    zillizUrl: config.zillizUrl,
    clock,
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
  credentials: AccessKey | CredentialProvider;
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
    network: o.network ?? noNetwork,
  };
}

/** JSON lines to stderr (FC collects them), or appended to `ZPL_LOG_FILE` when set (the local stack). */
export function stepLogger(step: string, context: FcContext, env: NodeJS.ProcessEnv = process.env): Logger {
  const file = functionConfig(env).logFile;
  const write = file ? (line: string) => appendFileSync(file, `${line}\n`) : undefined;
  return jsonLogger(write, { step, requestId: context.requestId, function: context.function.name });
}
