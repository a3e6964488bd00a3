import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { requireFlow } from '../local/engine/fdl-check.ts';
import type { Scope, State } from '../local/engine/fdl-schema.ts';
import type { StepFcHandler } from '../shared/steps/handler.ts';
import type { Step } from '../shared/steps/types.ts';
import { PROVISION_STEPS, TEARDOWN_STEPS } from './steps/support.ts';
import { linkSteps, step, STEPS, type FlowName, type StepEntry, type StepName } from '../shared/steps/index.ts';

/** Holds the flows, s.yaml and the functions to the step table, so an entry forgotten on either side fails here. */

const root = join(import.meta.dirname, '..');
const FLOWS: FlowName[] = ['provision', 'teardown', 'drift', 'follow', 'doctor'];
const table: readonly StepEntry[] = STEPS;

interface TaskState {
  name: string;
  fn: string;
}

const allStates = (scope: Scope): State[] =>
  scope.States.flatMap((s: State) => [
    s,
    ...(s.Type === 'Parallel' ? s.Branches.flatMap(allStates) : s.Type === 'Map' ? allStates(s.Processor) : []),
  ]);

const flowStates = (flow: FlowName) => allStates(requireFlow(readFileSync(join(root, 'flows', `${flow}.yaml`), 'utf8'), `${flow}.yaml`));

/** The flow's Tasks invoking one of our functions, in document order. */
const zplTasks = (flow: FlowName): TaskState[] =>
  flowStates(flow).flatMap((s) => {
    if (s.Type !== 'Task' || s.Action !== 'FC:InvokeFunction') return [];
    const fn = /functions\/([^/]+)\//.exec(String((s.Parameters as { resourceArn: string }).resourceArn))?.[1] ?? '';
    return fn.startsWith('zpl-') ? [{ name: s.Name, fn }] : [];
  });

/** Task states a Wait state loops back to: the polled (wait) steps. */
const polled = (flow: FlowName) => new Set(flowStates(flow).flatMap((s) => (s.Type === 'Wait' && 'Next' in s ? [String(s.Next)] : [])));

describe('the step table', () => {
  it.each(FLOWS)('every Task of flows/%s.yaml invoking a zpl- function is its table entry, in table order', (flow) => {
    const tasks = zplTasks(flow);
    for (const t of tasks) {
      const entry = table.find((s) => s.state === t.name);
      expect(entry, `${flow}.yaml state ${t.name} (${t.fn}) is missing from shared/steps/index.ts`).toBeDefined();
      expect(entry!.fn, t.name).toBe(t.fn);
      expect(entry!.flows, t.name).toContain(flow);
    }
    const inTable = table.filter((s) => s.flows.includes(flow)).map((s) => s.state);
    expect([...new Set(tasks.map((t) => t.name))], `the table lists ${flow}'s steps in the order the flow runs them`).toEqual(inTable);
  });

  it('each step is listed once, under a state name and a function of its own', () => {
    expect(new Set(table.map((s) => s.state)).size).toBe(table.length);
    expect(new Set(table.map((s) => s.fn)).size).toBe(table.length);
  });

  it.each(FLOWS)('in flows/%s.yaml a Wait loops back to exactly the wait steps, and each wait names its deadline', (flow) => {
    const loops = polled(flow);
    for (const s of table.filter((e) => e.flows.includes(flow))) {
      expect(loops.has(s.state), `${s.state} is a ${s.kind} step`).toBe(s.kind === 'wait');
      expect(s.deadline !== undefined, `${s.state} deadline`).toBe(s.kind === 'wait');
    }
  });

  it('what a step creates is undone by a teardown step', () => {
    for (const s of table.filter((e) => e.undoneBy)) {
      expect(s.creates, s.state).toBeTruthy();
      expect(step(s.undoneBy as StepName).flows, `${s.state} is undone by ${s.undoneBy}`).toContain('teardown');
    }
  });

  it('functions/README.md lists every step function', () => {
    const listed = new Set(
      [...readFileSync(join(root, 'functions', 'README.md'), 'utf8').matchAll(/^\| `(zpl-[a-z-]+)` \|/gm)].map((m) => m[1]),
    );
    for (const s of table) expect(listed.has(s.fn), `functions/README.md has no row for ${s.fn}`).toBe(true);
  });

  it('s.yaml deploys every step function from its own build folder', () => {
    const sYaml = parse(readFileSync(join(root, 's.yaml'), 'utf8'), { merge: true }) as {
      resources: Record<string, { props: { functionName: string; code: string } }>;
    };
    const deployed = new Map(Object.values(sYaml.resources).map((r) => [r.props.functionName, r.props.code]));
    for (const s of table)
      expect(deployed.get(s.fn), `s.yaml has no function ${s.fn} for step ${s.state}`).toBe(`./dist/functions/${s.fn}`);
  });

  it("each step's implementation exists, and each link step's function runs it under its table entry", async () => {
    for (const s of table) {
      const [path, name] = s.implementation.split('#') as [string, string];
      const impl = ((await import(join(root, path))) as Record<string, unknown>)[name];
      expect(typeof impl, s.implementation).toBe('function');
      if (!linkSteps().includes(s)) continue;
      const { handler } = (await import(join(root, 'functions', s.fn, 'index.ts'))) as { handler: StepFcHandler };
      expect(handler.entry, `functions/${s.fn}`).toBe(s);
      expect(handler.implementation, `functions/${s.fn} runs ${s.implementation}`).toBe(impl);
    }
  });

  it.each([
    ['provision', PROVISION_STEPS],
    ['teardown', TEARDOWN_STEPS],
  ] as [FlowName, Record<string, Step>][])("the step tests' in-process %s run is the table's, step for step", async (flow, runner) => {
    const entries = linkSteps(flow);
    expect(Object.keys(runner)).toEqual(entries.map((s) => s.state));
    for (const s of entries) {
      const [path, name] = s.implementation.split('#') as [string, string];
      expect(runner[s.state], s.state).toBe(((await import(join(root, path))) as Record<string, unknown>)[name]);
    }
  });
});
