import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as z from 'zod';
import { AliyunTransport } from '../shared/aliyun/rpc.ts';
import { CloudFlowApi } from '../shared/aliyun/cloudflow.ts';
import { deployFlows } from '../shared/flows.ts';
import { DEMO, demoSeed, type SeedInput, type Timings } from './emulators/fixtures.ts';
import { startEmulators, type Emulators } from './emulators/index.ts';
import { PrivateNetwork } from './emulators/network.ts';
import { FUNCTIONS_DIR, startLocalEngine, type LocalEngine } from './engine/index.ts';
import { LocalFunctions } from './engine/local-functions.ts';
import { LocalEdge } from './edge.ts';
import type { CallRecord } from './emulators/call-log.ts';
import { deployBus } from '../deploy/eventbridge.ts';
import { lockStateDir, processAlive } from './stack-lock.ts';
import type { ClockMode } from './time/emulated-clock.ts';

/**
 * The embedded default: the Alibaba and Zilliz emulators, the emulated VPC network and the
 * local CloudFlow engine, all on loopback, sharing one clock. Addresses go to
 * `<stateDir>/stack.json` so the CLI and tests in other processes find them. The keys in it
 * are the emulator's own throwaway demo keys, never real credentials.
 */
export const stackFileSchema = z.object({
  pid: z.number(),
  startedAt: z.string(),
  alibabaUrl: z.string().url(),
  zillizUrl: z.string().url(),
  adminUrl: z.string().url(),
  fnfUrl: z.string().url(),
  /** The HTTP API (functions/api), CloudEvents in (/events), the callback sink (/callbacks/…). */
  edgeUrl: z.string().url(),
  /** Local-only credentials for the API and callback signing, made up per stack. */
  apiToken: z.string(),
  apiHmacSecret: z.string(),
  callbackSecret: z.string(),
  addressMap: z.string(),
  logFile: z.string(),
  /** How emulated time moves: `events` (skips ahead when idle) or `paced` (`pace` emulated ms per real ms while idle). */
  clock: z.object({ mode: z.enum(['events', 'paced', 'manual']), pace: z.number() }),
  region: z.string(),
  accountId: z.string(),
  accessKeyId: z.string(),
  accessKeySecret: z.string(),
  zillizApiKey: z.string(),
});
export type StackFile = z.infer<typeof stackFileSchema>;

export const DEFAULT_STATE_DIR = '.zpl';

/** `--pace N` as stack options: 0 skips straight to the next timer, N > 0 lets N emulated seconds pass per real second while idle. */
export const clockOptions = (pace: number): Pick<StackOptions, 'clockMode' | 'pace'> =>
  pace > 0 ? { clockMode: 'paced', pace } : { clockMode: 'events' };

export function describeClock(c: StackFile['clock']): string {
  return c.mode === 'paced'
    ? `emulated time: ${c.pace}× real time while idle, still while anything works`
    : 'emulated time: skips to the next timer whenever all is idle';
}
export const stackFilePath = (stateDir = DEFAULT_STATE_DIR) => resolve(join(stateDir, 'stack.json'));

export interface StackOptions {
  stateDir?: string;
  /** Default `events`: time skips to the next timer whenever the world is idle. */
  clockMode?: ClockMode;
  /** Emulated ms per real ms while idle, in `paced` mode (default 60). */
  pace?: number;
  seed?: SeedInput;
  timings?: Partial<Timings>;
  alibabaPort?: number;
  zillizPort?: number;
  fnfPort?: number;
  edgePort?: number;
  functionsDir?: string;
  /** Keep executions from an earlier run (and resume the unfinished ones). Default true. */
  keepExecutions?: boolean;
  /**
   * The key FC hands the functions (their role's session in the cloud; a seeded key here). Default:
   * the demo account's own key, which the stack's set-up also signs with.
   */
  functionCredentials?: { accessKeyId: string; accessKeySecret: string; securityToken?: string };
}

export interface Stack {
  emulators: Emulators;
  engine: LocalEngine;
  network: PrivateNetwork;
  edge: LocalEdge;
  /** The Alibaba calls the stack's own set-up made (the deploy step, `zpl deploy-bus`), before the call log starts. */
  setupCalls: CallRecord[];
  file: StackFile;
  path: string;
  /** The project's CloudFlow client, pointed at the local engine. */
  flows: CloudFlowApi;
  stop(): Promise<void>;
}

/**
 * What the step functions read from their environment (functions/README.md), pointed at the
 * local stack. The engine runs them in this process, so this process's environment is theirs.
 */
function functionEnvironment(file: StackFile): Record<string, string> {
  return {
    ZILLIZ_API_KEY: file.zillizApiKey,
    ZPL_ZILLIZ_URL: file.zillizUrl,
    ZPL_ALIBABA_ENDPOINT: file.alibabaUrl,
    ZPL_ADDRESS_MAP: file.addressMap,
    ZPL_CLOCK_URL: `${file.adminUrl}/clock`,
    ZPL_LOG_FILE: file.logFile,
    ZPL_FNF_ENDPOINT: file.fnfUrl,
    ZPL_API_TOKEN: file.apiToken,
    ZPL_API_HMAC_SECRET: file.apiHmacSecret,
    ZPL_CALLBACK_SECRET: file.callbackSecret,
    ZPL_CALLBACK_HOSTS: new URL(file.edgeUrl).host,
  };
}

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const stateDir = resolve(opts.stateDir ?? DEFAULT_STATE_DIR);
  mkdirSync(stateDir, { recursive: true });
  const lock = lockStateDir(stateDir);
  try {
    return await startLockedStack(stateDir, opts, lock);
  } catch (e) {
    lock.release();
    throw e;
  }
}

async function startLockedStack(stateDir: string, opts: StackOptions, lock: { release(): void }): Promise<Stack> {
  const engineDir = join(stateDir, 'engine');
  if (opts.keepExecutions === false) rmSync(engineDir, { recursive: true, force: true });

  const emulators = await startEmulators({
    mode: opts.clockMode ?? 'events',
    pace: opts.pace,
    seed: opts.seed ?? demoSeed(),
    timings: opts.timings,
    alibabaPort: opts.alibabaPort,
    zillizPort: opts.zillizPort,
  });
  const addressMap = join(stateDir, 'address-map.json');
  const network = new PrivateNetwork(emulators.world, addressMap);
  await network.start();
  const keys = new Map([...emulators.world.accessKeys].map(([id, k]) => [id, k.secret]));
  const credentials = { accessKeyId: DEMO.accessKeyId, accessKeySecret: DEMO.accessKeySecret };
  const functionCredentials = opts.functionCredentials ?? credentials;
  const functionsDir = opts.functionsDir ?? FUNCTIONS_DIR;
  // The functions run in this process, and the clock counts their module loads as work only when
  // the engine loads a handler: a handler's own dynamic import (a cross-account run's role module,
  // shared/steps/runtime.ts) would let emulated time jump past the Task's timeout. Loaded now.
  if (functionsDir === FUNCTIONS_DIR) await emulators.clock.busy(import('../shared/steps/run-as.ts'));
  const secrets = {
    apiToken: randomBytes(24).toString('hex'),
    apiHmacSecret: randomBytes(32).toString('hex'),
    callbackSecret: randomBytes(32).toString('hex'),
  };
  // The edge delivers what the emulated EventBridge's rules match; the deploy step makes them below.
  const edge = new LocalEdge(
    new LocalFunctions({
      functionsDir,
      region: DEMO.region,
      accountId: DEMO.accountId,
      credentials: functionCredentials,
      clock: emulators.clock,
    }),
    secrets.callbackSecret,
    emulators.clock,
    emulators.world.eventbridge,
    {
      region: DEMO.region,
      accountId: DEMO.accountId,
    },
  );
  const engine = await startLocalEngine({
    clock: emulators.clock,
    stateDir: engineDir,
    functionsDir,
    region: DEMO.region,
    accountId: DEMO.accountId,
    credentials: functionCredentials,
    keys,
    port: opts.fnfPort,
    publish: edge.publish,
  });
  await edge.start(opts.edgePort);

  const file: StackFile = {
    pid: process.pid,
    startedAt: new Date().toISOString(),
    alibabaUrl: emulators.alibabaUrl,
    zillizUrl: emulators.zillizUrl,
    adminUrl: emulators.adminUrl,
    fnfUrl: engine.url,
    edgeUrl: edge.url,
    ...secrets,
    addressMap,
    logFile: join(stateDir, 'functions.log'),
    clock: { mode: emulators.clock.mode, pace: emulators.clock.pace },
    region: DEMO.region,
    accountId: DEMO.accountId,
    accessKeyId: DEMO.accessKeyId,
    accessKeySecret: DEMO.accessKeySecret,
    zillizApiKey: DEMO.zillizApiKey,
  };
  Object.assign(process.env, functionEnvironment(file));

  const flows = new CloudFlowApi(new AliyunTransport({ endpoint: engine.url, credentials }), DEMO.region);
  await deployFlows(flows, { region: DEMO.region, accountId: DEMO.accountId });
  // The same deploy step as on a real account (zpl deploy-bus): zpl's bus and the intake rule.
  await deployBus(new AliyunTransport({ endpoint: emulators.alibabaUrl, credentials }), { region: DEMO.region, accountId: DEMO.accountId });
  // The call log starts with what the product sends; the set-up's own calls are kept apart.
  const setupCalls = emulators.calls.calls.splice(0);

  const path = stackFilePath(stateDir);
  writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  return {
    emulators,
    engine,
    network,
    edge,
    file,
    path,
    flows,
    setupCalls,
    stop: async () => {
      await engine.close();
      await edge.close();
      await network.close();
      await emulators.close();
      rmSync(path, { force: true });
      lock.release();
    },
  };
}

/** The running stack's addresses, or a clear error saying how to start one. */
export function readStackFile(stateDir = DEFAULT_STATE_DIR): StackFile {
  const path = stackFilePath(stateDir);
  if (!existsSync(path)) throw new Error(`no local stack is running (${path} is missing): start one with \`zpl up\``);
  const parsed = stackFileSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success)
    throw new Error(`${path} is not a stack file (from an older version? restart \`zpl up\`): ${z.prettifyError(parsed.error)}`);
  // A stack killed (SIGKILL, a crash) leaves its file behind; its addresses answer nothing.
  if (!processAlive(parsed.data.pid))
    throw new Error(
      `the local stack on ${resolve(stateDir)} is not running (its process ${parsed.data.pid} has ended; ${path} is left from it): start it again with \`zpl up --state-dir ${stateDir}\`, which resumes its unfinished executions`,
    );
  return parsed.data;
}
