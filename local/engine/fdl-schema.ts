import * as z from 'zod';

/**
 * The current CloudFlow FDL (`Type: StateMachine`, `SpecVersion: v1`), one strict schema per
 * state type, so a misspelled field (`MaxAttempt`, `Error`) is an error instead of being ignored.
 * Field names and limits from CloudFlow's FDL pages (alibabacloud.com/help/en/serverless-workflow):
 * error-handling (Retry/Catch `Description` required; IntervalSeconds, MaxBackoffSeconds ≤ 86,400),
 * task-task (`Timeout`: a string, seconds), wait-wait (Seconds 1–300 in Standard mode).
 */

export const TASK_MODES = ['RequestComplete', 'WaitForSystemCallback', 'WaitForCustomCallback'] as const;
export const ERROR_WILDCARD = 'FnF.ALL';

const name = z.string().min(1, 'must not be empty').max(128, 'must be at most 128 characters');
const constructor = z.record(z.string(), z.unknown());
const seconds = z.number().int('must be a whole number of seconds');

const description = z
  .string({ error: "is required (CloudFlow's error-handling page marks Description required on every Retry and Catch rule)" })
  .min(1, 'must not be empty');

const retry = z.strictObject({
  Errors: z.array(z.string().min(1)).min(1, 'must list at least one error (FnF.ALL for any)'),
  Description: description,
  MaxAttempts: seconds.min(0).max(100).optional(),
  IntervalSeconds: seconds.min(1).max(86_400).optional(),
  BackoffRate: z.number().min(1).max(10).optional(),
  MaxBackoffSeconds: seconds.min(1).max(86_400).optional(),
});

const catcher = z.strictObject({
  Errors: z.array(z.string().min(1)).min(1, 'must list at least one error (FnF.ALL for any)'),
  Description: description,
  Next: name,
  OutputConstructor: constructor.optional(),
});

const base = {
  Name: name,
  Description: z.string().optional(),
  InputConstructor: constructor.optional(),
  OutputConstructor: constructor.optional(),
  GlobalConstructor: constructor.optional(),
};
const flow = { Next: name.optional(), End: z.literal(true).optional() };

export interface Scope {
  StartAt: string;
  States: State[];
}

const scope: z.ZodType<Scope> = z.lazy(() =>
  z.strictObject({ StartAt: name, States: z.array(state).min(1, 'must hold at least one state') }),
);

const task = z.strictObject({
  ...base,
  ...flow,
  Type: z.literal('Task'),
  Action: z.string().min(1),
  TaskMode: z.enum(TASK_MODES).optional(),
  Parameters: constructor.optional(),
  Timeout: z
    .string({ error: 'must be a string of seconds, e.g. "120" (the Task state page documents Timeout as a string)' })
    .regex(/^\d+$/, 'must be a whole number of seconds, written as a string')
    .refine((t) => Number(t) <= 604_800, 'must be at most 604800 seconds (7 days)')
    .optional(),
  Retry: z.array(retry).optional(),
  Catch: z.array(catcher).optional(),
});

const pass = z.strictObject({ ...base, ...flow, Type: z.literal('Pass') });

const wait = z.strictObject({
  ...base,
  ...flow,
  Type: z.literal('Wait'),
  Seconds: seconds.min(1, 'must be between 1 and 300').max(300, 'must be between 1 and 300 (loop for longer waits)').optional(),
  'Seconds.$': z.string().optional(),
});

const choice = z.strictObject({
  ...base,
  Type: z.literal('Choice'),
  Branches: z.array(z.strictObject({ Condition: z.string().min(1), Next: name })).min(1, 'must hold at least one branch'),
  Default: name,
});

const succeed = z.strictObject({ ...base, Type: z.literal('Succeed') });

const fail = z.strictObject({
  Name: name,
  Description: z.string().optional(),
  Type: z.literal('Fail'),
  Code: z.string().optional(),
  Detail: z.string().min(1, 'is required'),
});

const parallel = z.strictObject({
  ...base,
  ...flow,
  Type: z.literal('Parallel'),
  Branches: z.array(scope).min(1, 'must hold at least one branch'),
  Retry: z.array(retry).optional(),
  Catch: z.array(catcher).optional(),
});

const map = z.strictObject({
  ...base,
  ...flow,
  Type: z.literal('Map'),
  ItemsPath: z.string().min(1),
  Processor: scope,
  MaxConcurrency: z.number().int().min(1).max(100).optional(),
  Retry: z.array(retry).optional(),
  Catch: z.array(catcher).optional(),
});

export const state = z.discriminatedUnion('Type', [task, pass, wait, choice, succeed, fail, parallel, map]);

export const stateMachine = z.strictObject({
  Type: z.literal('StateMachine'),
  Name: name,
  SpecVersion: z.literal('v1'),
  Description: z.string().optional(),
  Comment: z.string().optional(),
  /** Execution timeout in seconds. */
  Timeout: seconds.min(1).max(31_536_000).optional(),
  StartAt: name,
  States: z.array(state).min(1, 'must hold at least one state'),
});

export type State = z.infer<typeof state>;
export type TaskState = z.infer<typeof task>;
export type WaitState = z.infer<typeof wait>;
export type ChoiceState = z.infer<typeof choice>;
export type FailState = z.infer<typeof fail>;
export type ParallelState = z.infer<typeof parallel>;
export type MapState = z.infer<typeof map>;
export type RetryPolicy = z.infer<typeof retry>;
export type CatchPolicy = z.infer<typeof catcher>;
export type StateMachine = z.infer<typeof stateMachine>;
