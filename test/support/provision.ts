import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROVISION_FLOW } from '../../shared/flows.ts';
import type { LinkReport } from '../../shared/steps/report.ts';
import { demoLinkSpec, demoSeed, type SeedInput, type Timings } from '../../local/emulators/fixtures.ts';
import type { ExecutionRecord } from '../../local/engine/store.ts';
import { startStack, type Stack } from '../../local/stack.ts';
import { untilFinished } from './drive.ts';

/** The demo link spec (examples/link.yaml), as an object tests can vary. */
export const demoSpec = (over: Record<string, unknown> = {}) => ({ ...demoLinkSpec(), ...over });

/** The demo world with a change of the test's. */
export function seedWith(change: (seed: SeedInput) => void): SeedInput {
  const seed = demoSeed();
  change(seed);
  return seed;
}

/** The whole local stack on event-driven time: the clock skips ahead whenever everything waits. */
export async function startTestStack(opts: { seed?: SeedInput; timings?: Partial<Timings> } = {}): Promise<Stack> {
  return startStack({ stateDir: mkdtempSync(join(tmpdir(), 'zpl-stack-')), seed: opts.seed, timings: opts.timings });
}

let runs = 0;

export interface LinkRun {
  rec: ExecutionRecord;
  report: LinkReport | undefined;
  steps: string[];
}

/** Waits until an execution of a flow ends. */
export function finishFlow(stack: Stack, flow: string, name: string): Promise<ExecutionRecord> {
  return untilFinished(stack.emulators.clock, stack.engine.engine, flow, name);
}

/** Waits until an execution of the provision flow (or `flow`) ends; returns its record, report and steps. */
export async function finish(stack: Stack, name: string, flow = PROVISION_FLOW): Promise<LinkRun> {
  const engine = stack.engine.engine;
  const rec = await finishFlow(stack, flow, name);
  const events = engine.history(flow, name);
  const reportEvent = events.filter((e) => e.Type === 'StepExited' && e.StepName === 'Report').at(-1);
  const report = reportEvent ? (JSON.parse(reportEvent.EventDetail).output.report as LinkReport) : undefined;
  return { rec, report, steps: events.filter((e) => e.Type === 'StepEntered').map((e) => e.StepName) };
}

/** Starts the provision flow for a spec and waits until it ends. */
export async function provision(stack: Stack, spec: unknown): Promise<LinkRun> {
  const name = `test-${++runs}`;
  await stack.flows.start(PROVISION_FLOW, name, { spec });
  return finish(stack, name);
}
