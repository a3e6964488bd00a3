import { step, type StepName } from '../../shared/steps/index.ts';
import { note, type Mapping } from './emit.ts';
import { anyErrorRetry, catchAll, choice, EXECUTION_INPUT, EXECUTION_NAME, fcTask, STEP_RETRY } from './fdl.ts';

/**
 * A link flow's steps (provision, teardown): each step's Task passes the run's state on, a
 * Choice after it sends a failure to the report, and a wait step (kind `wait` in the step
 * table) loops through a Wait paced by its own answer (`wait.nextPollSeconds`) until done.
 */

export interface LinkStep {
  step: StepName;
  /** The Choice on its outcome; none for the last step, which goes straight to the report. */
  then?: string;
  /** A wait step's Wait state, looping back to it. */
  wait?: string;
  /** A comment above the Choice: why the step may have to wait. */
  why?: string;
}

const REPORT = 'Report';
const FAILED = '$Input.outcome == "failed"';
const DONE = '$Input.outcome == "done"';

function linkStep(s: LinkStep, seeded: boolean, next: string): Mapping[] {
  const polled = step(s.step).kind === 'wait';
  if (polled !== (s.wait !== undefined))
    throw new Error(`flow-gen: ${s.step} is a ${step(s.step).kind} step; a Wait state goes with wait steps only`);
  const task = fcTask({
    step: s.step,
    // The first step starts from the execution's input alone; the others carry the state on.
    params: { body: { 'input.$': EXECUTION_INPUT, ...(seeded ? {} : { 'state.$': '$Input.state' }), 'execution.$': EXECUTION_NAME } },
    retry: STEP_RETRY,
    catch: [
      catchAll('any error ends the run through the report', REPORT, {
        outcome: 'failed',
        ...(seeded ? { state: null } : { 'state.$': '$Input.state' }),
        failed: { step: s.step, 'code.$': '$Context.Current.Error.Code', 'message.$': '$Context.Current.Error.Detail' },
      }),
    ],
    output: {
      'outcome.$': '$Output.Body.outcome',
      'state.$': '$Output.Body.state',
      'failed.$': '$Output.Body.failed',
      ...(polled && { 'wait.$': '$Output.Body.wait' }),
    },
    next: s.then ?? next,
  });
  if (!s.then) return [task];
  const branches: [string, string][] = polled
    ? [
        [FAILED, REPORT],
        [DONE, next],
      ]
    : [[FAILED, REPORT]];
  const check = { ...(s.why && note(s.why)), ...choice(s.then, branches, s.wait ?? next) };
  const loop = s.wait ? [{ Name: s.wait, Type: 'Wait', 'Seconds.$': '$Input.wait.nextPollSeconds', Next: s.step }] : [];
  return [task, check, ...loop];
}

/** The steps in run order, the last one (and every failure) leading to the Report state. */
export const linkSteps = (steps: readonly LinkStep[]): Mapping[] =>
  steps.flatMap((s, i) => linkStep(s, i === 0, steps[i + 1]?.step ?? REPORT));

/** The Report step: it only reads, so any error is retried. */
export const report = (next: string): Mapping =>
  fcTask({
    step: 'Report',
    params: { body: { 'input.$': EXECUTION_INPUT, 'state.$': '$Input.state', 'failed.$': '$Input.failed' } },
    retry: [anyErrorRetry('retry any error; the report only reads', { MaxAttempts: 3, IntervalSeconds: 2, BackoffRate: 2 })],
    output: { 'report.$': '$Output.Body' },
    next,
  });

/** Branches on the report's outcome. */
export const outcome = (succeeded: string, failed: string): Mapping =>
  choice('Outcome', [['$Input.report.outcome == "succeeded"', succeeded]], failed);
