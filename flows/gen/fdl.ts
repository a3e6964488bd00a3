import { deployedFunctions } from '../../local/deployed-functions.ts';
import { fc3FunctionArn } from '../../shared/fc-arn.ts';
import { step, type StepName } from '../../shared/steps/index.ts';
import { note, type Mapping, type Node } from './emit.ts';

/**
 * The FDL conventions every flow shares, written once: how a Task invokes one of our functions,
 * the Retry blocks, the Catch that ends a run through the report, the states a step's result
 * is branched and polled with. The flow descriptions (flows/*.ts) only say what runs in what order.
 */

/** The function's ARN as the flows hold it; `zpl render` / `zpl apply` fill in region and account. */
export const fnArn = (fn: string) => `${fc3FunctionArn('${region}', '${accountId}', fn)}/LATEST`;

/** FC's answers that are not 200 surface as these errors; they are worth backing off on. */
export const FC_ERRORS = ['FC.ResourceThrottled', 'FC.ResourceExhausted', 'FC.InternalServerError', 'FC.ServiceUnavailable'];
export const ANY_ERROR = ['FnF.ALL'];

export interface Backoff {
  MaxAttempts: number;
  IntervalSeconds: number;
  BackoffRate: number;
  MaxBackoffSeconds?: number;
}

export const fcRetry = (backoff: Backoff): Mapping => ({
  Description: 'FC throttled or failed (non-200 answers), back off',
  Errors: FC_ERRORS,
  ...backoff,
});

export const anyErrorRetry = (why: string, backoff: Backoff): Mapping => ({ Description: why, Errors: ANY_ERROR, ...backoff });

/** A link step's Retry: FC's own failures with back-off, then anything else twice (the steps are idempotent). */
export const STEP_RETRY: Node[] = [
  fcRetry({ MaxAttempts: 5, IntervalSeconds: 2, BackoffRate: 2, MaxBackoffSeconds: 60 }),
  anyErrorRetry('any other error (a crash, a timeout); the step is idempotent', { MaxAttempts: 2, IntervalSeconds: 10, BackoffRate: 3 }),
];

/** Catches any error into `next`; `why` comments the output it passes on. */
export const catchAll = (description: string, next: string, output: Mapping, why?: string): Mapping => ({
  Description: description,
  Errors: ANY_ERROR,
  Next: next,
  ...(why && note(why)),
  OutputConstructor: output,
});

export const EXECUTION_INPUT = '$Context.Execution.Input';
export const EXECUTION_NAME = '$Context.Execution.Name';

export interface FcTask {
  /** The step table's state; the function is the table's. */
  step: StepName;
  /** Parameters beside resourceArn and invocationType (usually `body`). */
  params: Mapping;
  retry?: Node[];
  catch?: Node[];
  output?: Mapping;
  next?: string;
}

/**
 * A Task outlives its function's FC timeout (s.yaml) by this much, so a hung invocation ends
 * with FC's own timeout error, retried or caught like any other, before the Task gives up.
 */
export const TASK_MARGIN_SECONDS = 60;

/** FDL's Timeout of a Task invoking `fn` (seconds): s.yaml's timeout for it plus the margin, so the two are kept once. */
export function taskTimeout(fn: string): number {
  const deployed = deployedFunctions().find((f) => f.functionName === fn);
  if (!deployed) throw new Error(`flow-gen: s.yaml deploys no function ${fn}`);
  return deployed.timeout + TASK_MARGIN_SECONDS;
}

/** The Task shape of every state invoking one of our functions, synchronously and to completion. */
export function fcTask(t: FcTask): Mapping {
  const entry = step(t.step);
  return {
    Name: entry.state,
    Type: 'Task',
    Action: 'FC:InvokeFunction',
    TaskMode: 'RequestComplete',
    Timeout: String(taskTimeout(entry.fn)),
    Parameters: { resourceArn: fnArn(entry.fn), invocationType: 'Sync', ...t.params },
    ...(t.retry && { Retry: t.retry }),
    ...(t.catch && { Catch: t.catch }),
    ...(t.output && { OutputConstructor: t.output }),
    ...(t.next ? { Next: t.next } : { End: true }),
  };
}

export const choice = (name: string, branches: [condition: string, next: string][], fallback: string): Mapping => ({
  Name: name,
  Type: 'Choice',
  Branches: branches.map(([Condition, Next]) => ({ Condition, Next })),
  Default: fallback,
});

export const succeed = (name: string): Mapping => ({ Name: name, Type: 'Succeed' });
export const fail = (name: string, code: string, detail: string): Mapping => ({ Name: name, Type: 'Fail', Code: code, Detail: detail });

/** A flow document: the header comment explains it; states in run order. */
export interface Flow {
  header: readonly string[];
  name: string;
  description: string;
  states: Mapping[];
}

export const stateMachine = (f: Flow): Mapping => ({
  Type: 'StateMachine',
  Name: f.name,
  SpecVersion: 'v1',
  Description: f.description,
  StartAt: String(f.states[0]!.Name),
  States: f.states,
});
