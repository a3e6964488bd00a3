import { STEPS, type FlowName, type StepEntry } from './table.ts';

export * from './table.ts';

export type StepName = (typeof STEPS)[number]['state'];

/** The steps that act on a link or wait for it (what progress shows a line for), by flow. */
export const linkSteps = (flow?: FlowName): StepEntry[] =>
  STEPS.filter(
    (s: StepEntry) =>
      s.kind !== 'report' && s.flows.some((f) => f === 'provision' || f === 'teardown') && (!flow || s.flows.includes(flow)),
  );

export function step(name: StepName): StepEntry {
  return STEPS.find((s) => s.state === name)!;
}
