import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EmulatedClock } from '../../local/time/emulated-clock.ts';
import { AliyunTransport } from '../../shared/aliyun/rpc.ts';
import { CloudFlowApi } from '../../shared/aliyun/cloudflow.ts';
import { DEMO } from '../../local/emulators/fixtures.ts';
import { startLocalEngine, type LocalEngine } from '../../local/engine/index.ts';
import type { ExecutionRecord } from '../../local/engine/store.ts';
import { untilFinished } from './drive.ts';
import { TEST_RETRY } from './stack.ts';

export const FIXTURE_FUNCTIONS = fileURLToPath(new URL('../fixtures/functions', import.meta.url));
export const tempDir = (prefix = 'zpl-engine-') => mkdtempSync(join(tmpdir(), prefix));

export interface TestEngine extends LocalEngine {
  clock: EmulatedClock;
  stateDir: string;
  /** The project's own CloudFlow client, pointed at the engine. */
  flows: CloudFlowApi;
  /** Creates (or updates) a flow and runs one execution to its end. */
  run(
    definition: string,
    input?: unknown,
    name?: string,
  ): Promise<{ rec: ExecutionRecord; events: ReturnType<LocalEngine['engine']['history']> }>;
  /** Waits until the execution finishes (the clock skips ahead while it waits). */
  finish(flow: string, execution: string): Promise<ExecutionRecord>;
}

let counter = 0;

/** An engine over the fixture functions on event-driven time (`manual`: only `clock.advance` moves it). */
export async function startTestEngine(
  opts: { stateDir?: string; functionsDir?: string; manual?: boolean; listRetentionSeconds?: number } = {},
): Promise<TestEngine> {
  const clock = new EmulatedClock({ mode: opts.manual ? 'manual' : 'events', start: Date.parse('2026-01-01T00:00:00Z') });
  const stateDir = opts.stateDir ?? tempDir();
  const local = await startLocalEngine({
    clock,
    stateDir,
    functionsDir: opts.functionsDir ?? FIXTURE_FUNCTIONS,
    region: DEMO.region,
    accountId: DEMO.accountId,
    credentials: { accessKeyId: DEMO.accessKeyId, accessKeySecret: DEMO.accessKeySecret },
    keys: new Map([[DEMO.accessKeyId, DEMO.accessKeySecret]]),
    ...(opts.listRetentionSeconds !== undefined ? { listRetentionSeconds: opts.listRetentionSeconds } : {}),
  });
  const flows = new CloudFlowApi(
    new AliyunTransport({
      endpoint: local.url,
      credentials: { accessKeyId: DEMO.accessKeyId, accessKeySecret: DEMO.accessKeySecret },
      retry: TEST_RETRY,
    }),
    DEMO.region,
  );
  const finish = (flow: string, execution: string) => untilFinished(clock, local.engine, flow, execution);
  return {
    ...local,
    clock,
    stateDir,
    flows,
    finish,
    async run(definition, input = {}, name) {
      const flowName = /Name:\s*(\S+)/.exec(definition)?.[1] ?? `flow${++counter}`;
      await flows.deployFlow({ name: flowName, definition, description: 'test flow' });
      const started = await flows.start(flowName, name ?? `run${++counter}`, input);
      const rec = await finish(flowName, started.Name);
      return { rec, events: local.engine.history(flowName, started.Name) };
    },
  };
}

/** `{Name: …}` of each event type in order, for compact assertions. */
export const types = (events: { Type: string; StepName: string }[]) => events.map((e) => (e.StepName ? `${e.Type}:${e.StepName}` : e.Type));
