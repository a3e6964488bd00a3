import { randomBytes } from 'node:crypto';
import type { Clock } from '../../shared/clock.ts';
import type { Logger } from '../../shared/log.ts';
import { construct, jsonBytes } from './constructors.ts';
import { AbsentField, evaluateSource, truthy, type Scope as ExprScope } from './expression.ts';
import type { CatchPolicy, MapState, ParallelState, Scope, State, StateMachine, TaskState, WaitState } from './fdl-schema.ts';
import { FLOW_ERRORS, FlowError, matches } from './flow-errors.ts';
import type { LocalFunctions } from './local-functions.ts';
import type { Cursor, EngineStore, ExecutionRecord, FlowEvent } from './store.ts';

/**
 * One execution of a flow: walks the states as CloudFlow does, writing the official event
 * types to the history, checkpointing the top-level position so a restarted engine re-enters
 * the state it was in (at-least-once, as in CloudFlow).
 */

/**
 * CloudFlow: "The size of the input and output of a state cannot exceed 64 KiB. If the size of the
 * input and output of a state exceeds 64 KiB, the flow fails to be executed."
 * (https://www.alibabacloud.com/help/en/serverless-workflow/latest/input-and-output; the limits page,
 * https://www.alibabacloud.com/help/en/serverless-workflow/latest/limits: "Maximum event data size | Event | 64 KiB").
 * Checked on every state's input and output (limit() below): FnF.DataLimitExceeded.
 */
export const STATE_DATA_LIMIT = 64 * 1024;
export const EVENT_LIMIT = 5000;

export interface RunDeps {
  clock: Clock;
  store: EngineStore;
  functions: LocalFunctions;
  log: Logger;
  /** Registers a callback token; resolves with the reported output or rejects with the reported error. */
  awaitCallback(token: string, rec: ExecutionRecord): Promise<unknown>;
  cancelCallback(token: string): void;
  /** Told of every history event as it is written (tests stop runs at an exact point). */
  observe?: (rec: ExecutionRecord, event: FlowEvent) => void;
  /** Where `EventBridge:PutEvents` tasks publish; without it the action is unsupported. */
  publish?: (event: PublishedEvent) => Promise<void>;
}

/** A CloudEvent as a CloudFlow `EventBridge:PutEvents` task sends it (its Parameters). */
export interface PublishedEvent {
  eventBusName: string;
  id: string;
  source: string;
  type: string;
  subject?: string;
  data: unknown;
}

/** Thrown into a run to end it: StopExecution or the execution's Timeout. */
export class Interrupt extends Error {
  constructor(
    readonly status: 'Stopped' | 'TimedOut',
    readonly code: string,
    readonly detail: string,
  ) {
    super(detail);
  }
}

type StepResult = { end: true; output: unknown } | { end: false; next: string; output: unknown };

const DEFAULT_RETRY = { MaxAttempts: 3, IntervalSeconds: 1, BackoffRate: 1.5 };
const DEFAULT_MAP_CONCURRENCY = 40;

export class Run {
  private global: Record<string, unknown>;
  private interruptWith?: (i: Interrupt) => void;
  private interruption?: Interrupt;
  /** Aborted when the run ends or is interrupted: its timers go with it. */
  private readonly ended = new AbortController();
  private readonly interrupted: Promise<never>;
  private readonly execInput: unknown;
  private done = false;
  private detached = false;

  constructor(
    private readonly deps: RunDeps,
    readonly rec: ExecutionRecord,
    private readonly flow: StateMachine,
  ) {
    this.global = rec.cursor?.global ?? {};
    this.execInput = JSON.parse(rec.input || '{}');
    this.interrupted = new Promise<never>((_, reject) => {
      this.interruptWith = reject;
    });
    this.interrupted.catch(() => undefined);
  }

  interrupt(i: Interrupt) {
    this.interruption ??= i;
    this.interruptWith?.(i);
    this.ended.abort();
  }

  /** Lets go of the execution without recording anything more (the engine is going away). */
  detach() {
    this.detached = true;
    this.interrupt(new Interrupt('Stopped', 'FnF.EngineStopped', 'the engine stopped'));
  }

  /** Races work against a stop or the execution timeout. */
  private race<T>(p: Promise<T>): Promise<T> {
    return Promise.race([p, this.interrupted]);
  }

  private sleep(ms: number) {
    return this.race(this.deps.clock.sleep(ms, this.ended.signal));
  }

  /** A timer that is dropped once `work` settles, so no dead timer keeps an emulated clock busy. */
  private async watchdog<T>(ms: number, work: () => Promise<T>, fire: () => never): Promise<T> {
    const stop = new AbortController();
    const alarm = this.deps.clock.sleep(ms, stop.signal).then(fire);
    alarm.catch(() => undefined);
    try {
      return await Promise.race([work(), alarm]);
    } finally {
      stop.abort();
    }
  }

  private time() {
    return new Date(this.deps.clock.now()).toISOString();
  }

  private emit(type: string, step: string, detail: Record<string, unknown> = {}, scheduleEventId?: number): number {
    const rec = this.rec;
    if (this.detached) return 0;
    const finalEvent = type.startsWith('Execution') && type !== 'ExecutionStarted';
    if (rec.eventCount >= EVENT_LIMIT && !finalEvent) throw FLOW_ERRORS.eventLimit();
    const event = {
      EventId: ++rec.eventCount,
      ...(scheduleEventId ? { ScheduleEventId: scheduleEventId } : {}),
      StepName: step,
      Type: type,
      Time: this.time(),
      EventDetail: JSON.stringify(detail),
    };
    this.deps.store.appendEvent(rec, event);
    this.deps.observe?.(rec, event);
    return event.EventId;
  }

  private checkpoint(cursor: Cursor | undefined) {
    if (this.detached) return;
    this.rec.cursor = cursor;
    this.deps.store.saveExecution(this.rec);
  }

  /** Runs (or resumes) to the end and records the outcome; never throws. */
  async execute(): Promise<void> {
    const rec = this.rec;
    const resume = rec.cursor;
    if (rec.status === 'Starting') {
      rec.status = 'Running';
      this.deps.store.saveExecution(rec);
      this.emit('ExecutionStarted', '', { input: this.execInput });
    }
    const timeout = this.flow.Timeout;
    if (timeout) {
      const started = Date.parse(rec.startedTime);
      const left = started + timeout * 1000 - this.deps.clock.now();
      void this.deps.clock.sleep(Math.max(0, left), this.ended.signal).then(() => {
        if (!this.done)
          this.interrupt(new Interrupt('TimedOut', 'FnF.Timeout', `the execution did not finish within the flow's Timeout of ${timeout}s`));
      });
    }
    try {
      const output = await this.race(this.runScope(this.flow, resume ? resume.input : this.execInput, true, resume));
      this.finish('Succeeded', { output });
    } catch (e) {
      if (e instanceof Interrupt) this.finish(e.status, { error: { code: e.code, detail: e.detail } });
      else {
        const err = e instanceof FlowError ? e : new FlowError('FnF.InternalError', e instanceof Error ? e.message : String(e));
        this.finish('Failed', { error: { code: err.code, detail: err.detail } });
      }
    } finally {
      this.done = true;
      this.ended.abort();
    }
  }

  private finish(
    status: 'Succeeded' | 'Failed' | 'Stopped' | 'TimedOut',
    outcome: { output?: unknown; error?: { code: string; detail: string } },
  ) {
    const rec = this.rec;
    if (this.detached || (rec.status !== 'Running' && rec.status !== 'Starting')) return;
    const type = { Succeeded: 'ExecutionSucceeded', Failed: 'ExecutionFailed', Stopped: 'ExecutionStopped', TimedOut: 'ExecutionTimedOut' }[
      status
    ];
    rec.status = status;
    rec.stoppedTime = this.time();
    rec.cursor = undefined;
    if (outcome.output !== undefined) rec.output = JSON.stringify(outcome.output);
    if (outcome.error) rec.error = outcome.error;
    this.emit(type, '', outcome.error ? { error: outcome.error.code, cause: outcome.error.detail } : { output: outcome.output });
    this.deps.store.saveExecution(rec);
    this.deps.log.info('execution.finished', { flow: rec.flowName, execution: rec.name, status, error: outcome.error?.code });
  }

  private async runScope(scope: Scope, input: unknown, top: boolean, resume?: Cursor): Promise<unknown> {
    const states = new Map<string, State>(scope.States.map((s) => [s.Name, s]));
    let name = resume?.state ?? scope.StartAt;
    let value = input;
    let waitUntil = resume?.waitUntil;
    for (;;) {
      const state = states.get(name)!;
      if (top) this.checkpoint({ state: name, input: value, global: this.global, ...(waitUntil ? { waitUntil } : {}) });
      const result = await this.runState(state, value, top, waitUntil);
      waitUntil = undefined;
      if (result.end) return result.output;
      name = result.next;
      value = result.output;
    }
  }

  private context(state: string, input: unknown, extra: Record<string, unknown> = {}) {
    return {
      Flow: { Name: this.flow.Name },
      Execution: { Name: this.rec.name, Input: this.execInput, StartedTime: this.rec.startedTime },
      Current: { Name: state, Input: input, RetryCount: 0, ...extra },
    };
  }

  private scope(state: string, input: unknown, extra: Record<string, unknown> = {}, output?: unknown): ExprScope {
    const ctx = this.context(state, input, output === undefined ? extra : { ...extra, Output: output });
    return { $Input: input, $Context: ctx, $Global: this.global, ...(output === undefined ? {} : { $Output: output }) };
  }

  private limit(state: string, what: 'input' | 'output', value: unknown) {
    const bytes = jsonBytes(value);
    if (bytes > STATE_DATA_LIMIT) throw FLOW_ERRORS.dataLimit(state, what, bytes);
  }

  private async runState(s: State, rawInput: unknown, top: boolean, waitUntil?: number): Promise<StepResult> {
    // A stopped run enters no further state (CloudFlow schedules nothing after StopExecution).
    if (this.interruption) throw this.interruption;
    try {
      return await this.enterState(s, rawInput, top, waitUntil);
    } catch (e) {
      if (!(e instanceof AbsentField)) throw e;
      const err = FLOW_ERRORS.expression(s.Name, e.message);
      this.emit('StepFailed', s.Name, { error: err.code, cause: err.detail });
      throw err;
    }
  }

  private async enterState(s: State, rawInput: unknown, top: boolean, waitUntil?: number): Promise<StepResult> {
    this.emit('StepEntered', s.Name, { input: rawInput });
    this.limit(s.Name, 'input', rawInput);
    const input = 'InputConstructor' in s && s.InputConstructor ? construct(s.InputConstructor, this.scope(s.Name, rawInput)) : rawInput;

    let raw: unknown = input;
    let next: string | undefined = 'Next' in s ? s.Next : undefined;
    try {
      switch (s.Type) {
        case 'Pass':
        case 'Succeed':
          break;
        case 'Fail':
          this.emit('StepFailed', s.Name, { error: s.Code ?? 'FnF.Fail', cause: s.Detail });
          throw new FlowError(s.Code ?? 'FnF.Fail', s.Detail);
        case 'Wait':
          await this.wait(s, input, top, waitUntil);
          break;
        case 'Choice':
          next = s.Branches.find((b) => truthy(evaluateSource(b.Condition, this.scope(s.Name, input))))?.Next ?? s.Default;
          break;
        case 'Task':
        case 'Parallel':
        case 'Map': {
          const outcome = await this.withRetry(s, input, (retryCount) => this.work(s, input, retryCount));
          if ('caught' in outcome) return this.caught(s, input, outcome.caught, outcome.error);
          raw = outcome.output;
          break;
        }
      }
    } catch (e) {
      if (e instanceof FlowError && s.Type !== 'Fail') this.emit('StepFailed', s.Name, { error: e.code, cause: e.detail });
      throw e;
    }

    const withOutput = s.Type === 'Task' || s.Type === 'Parallel' || s.Type === 'Map';
    const scope = this.scope(s.Name, input, {}, withOutput ? raw : undefined);
    const output = 'OutputConstructor' in s && s.OutputConstructor ? construct(s.OutputConstructor, scope) : raw;
    if ('GlobalConstructor' in s && s.GlobalConstructor) Object.assign(this.global, construct(s.GlobalConstructor, scope) as object);
    this.limit(s.Name, 'output', output);
    this.emit('StepExited', s.Name, { output });
    const end = s.Type === 'Succeed' || ('End' in s && s.End === true);
    return end ? { end: true, output } : { end: false, next: next!, output };
  }

  private async wait(s: WaitState, input: unknown, top: boolean, resumeUntil?: number) {
    const seconds = s.Seconds ?? evaluateSource(s['Seconds.$']!, this.scope(s.Name, input));
    // Wait Seconds: "Standard mode: 1 to 300" (CloudFlow, Wait state page).
    if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 1 || seconds > 300)
      throw FLOW_ERRORS.expression(
        `${s.Name}/Seconds.$`,
        `gave ${JSON.stringify(seconds)}; a Wait lasts a whole number of seconds from 1 to 300 in Standard mode`,
      );
    const until = resumeUntil ?? this.deps.clock.now() + seconds * 1000;
    if (top) this.checkpoint({ state: s.Name, input, global: this.global, waitUntil: until });
    await this.sleep(Math.max(0, until - this.deps.clock.now()));
  }

  private async caught(s: State, input: unknown, c: CatchPolicy, err: FlowError): Promise<StepResult> {
    const error = { Code: err.code, Detail: err.detail };
    const scope = this.scope(s.Name, input, { Error: error });
    const output = c.OutputConstructor ? construct(c.OutputConstructor, scope) : error;
    this.limit(s.Name, 'output', output);
    this.emit('StepExited', s.Name, { output, caught: err.code });
    return { end: false, next: c.Next, output };
  }

  /** Retry policies first (each with its own attempt count), then Catch; fatal errors pass through. */
  private async withRetry(
    s: TaskState | ParallelState | MapState,
    _input: unknown,
    body: (retryCount: number) => Promise<unknown>,
  ): Promise<{ output: unknown } | { caught: CatchPolicy; error: FlowError }> {
    const attempts = new Map<number, number>();
    let retryCount = 0;
    for (;;) {
      try {
        return { output: await body(retryCount) };
      } catch (e) {
        if (!(e instanceof FlowError) || e.fatal) throw e;
        const i = (s.Retry ?? []).findIndex((r) => matches(r.Errors, e.code));
        const policy = i >= 0 ? { ...DEFAULT_RETRY, ...s.Retry![i]! } : undefined;
        const used = attempts.get(i) ?? 0;
        if (policy && used < policy.MaxAttempts) {
          let delay = policy.IntervalSeconds * policy.BackoffRate ** used;
          if (policy.MaxBackoffSeconds !== undefined) delay = Math.min(delay, policy.MaxBackoffSeconds);
          attempts.set(i, used + 1);
          retryCount++;
          await this.sleep(delay * 1000);
          continue;
        }
        const c = (s.Catch ?? []).find((x) => matches(x.Errors, e.code));
        if (c) return { caught: c, error: e };
        throw e;
      }
    }
  }

  private work(s: TaskState | ParallelState | MapState, input: unknown, retryCount: number): Promise<unknown> {
    if (s.Type === 'Task') return this.task(s, input, retryCount);
    if (s.Type === 'Parallel') return this.parallel(s, input);
    return this.map(s, input);
  }

  private async task(s: TaskState, input: unknown, retryCount: number): Promise<unknown> {
    const mode = s.TaskMode ?? 'RequestComplete';
    const token = mode === 'WaitForCustomCallback' ? `${this.rec.flowName}.${this.rec.name}.${randomBytes(12).toString('hex')}` : undefined;
    const params = (
      s.Parameters
        ? construct(s.Parameters, this.scope(s.Name, input, { RetryCount: retryCount, ...(token ? { TaskToken: token } : {}) }))
        : {}
    ) as Record<string, unknown>;
    const scheduled = this.emit('TaskScheduled', s.Name, {
      resource: s.Action,
      taskMode: mode,
      retryCount,
      ...(typeof params.resourceArn === 'string' ? { resourceArn: params.resourceArn } : {}),
    });
    if (s.Action === 'EventBridge:PutEvents' && mode === 'RequestComplete' && this.deps.publish)
      return this.putEvents(s, params, scheduled);
    if (s.Action !== 'FC:InvokeFunction') {
      const err = FLOW_ERRORS.unsupportedAction(s.Action);
      this.emit('TaskFailed', s.Name, { error: err.code, cause: err.detail }, scheduled);
      throw err;
    }
    const arn = typeof params.resourceArn === 'string' ? params.resourceArn : '';
    const invoke = () => this.deps.functions.invoke(arn, params.body);
    const attempt = async (): Promise<unknown> => {
      this.emit('TaskStarted', s.Name, {}, scheduled);
      if (mode === 'RequestComplete') return invoke();
      if (mode === 'WaitForSystemCallback') {
        // FC async invocation: accepted now, the function's reply completes the task later.
        const pending = invoke();
        this.emit('TaskSubmitted', s.Name, { invocationType: 'Async' }, scheduled);
        return pending;
      }
      const reported = this.deps.awaitCallback(token!, this.rec);
      // A worker may report while its invocation is still running: handled once returned below.
      reported.catch(() => undefined);
      try {
        await invoke();
      } catch (e) {
        this.deps.cancelCallback(token!);
        throw e;
      }
      this.emit('TaskSubmitted', s.Name, { taskToken: token }, scheduled);
      return reported;
    };
    try {
      const limit = s.Timeout ? Number(s.Timeout) : 0;
      const result = await this.race(
        limit
          ? this.watchdog(limit * 1000, attempt, () => {
              throw FLOW_ERRORS.taskTimeout(s.Name, limit);
            })
          : attempt(),
      );
      this.emit('TaskSucceeded', s.Name, { output: result }, scheduled);
      return result;
    } catch (e) {
      if (token) this.deps.cancelCallback(token);
      if (e instanceof FlowError)
        this.emit(e.code === 'FnF.Timeout' ? 'TaskTimedOut' : 'TaskFailed', s.Name, { error: e.code, cause: e.detail }, scheduled);
      throw e;
    }
  }

  private async putEvents(s: TaskState, params: Record<string, unknown>, scheduled: number): Promise<unknown> {
    this.emit('TaskStarted', s.Name, {}, scheduled);
    const missing = ['eventBusName', 'source', 'type'].filter((k) => typeof params[k] !== 'string' || params[k] === '');
    if (missing.length > 0) {
      const err = new FlowError('EventBridge.InvalidArgument', `PutEvents needs ${missing.join(', ')}`);
      this.emit('TaskFailed', s.Name, { error: err.code, cause: err.detail }, scheduled);
      throw err;
    }
    const event = {
      eventBusName: String(params.eventBusName),
      id: typeof params.id === 'string' && params.id ? params.id : randomBytes(16).toString('hex'),
      source: String(params.source),
      type: String(params.type),
      ...(typeof params.subject === 'string' ? { subject: params.subject } : {}),
      data: params.data ?? {},
    };
    await this.race(this.deps.publish!(event));
    const output = { EventId: event.id };
    this.emit('TaskSucceeded', s.Name, { output }, scheduled);
    return output;
  }

  private async parallel(s: ParallelState, input: unknown): Promise<unknown> {
    const outputs = await Promise.all(
      s.Branches.map(async (branch, i) => {
        this.emit('BranchEntered', s.Name, { branch: i });
        const out = await this.runScope(branch, input, false);
        this.emit('BranchExited', s.Name, { branch: i });
        return out;
      }),
    );
    return Object.fromEntries(outputs.map((o, i) => [`Branch${i}`, o]));
  }

  private async map(s: MapState, input: unknown): Promise<unknown> {
    const items = evaluateSource(s.ItemsPath, this.scope(s.Name, input));
    if (!Array.isArray(items))
      throw FLOW_ERRORS.expression(
        `${s.Name}/ItemsPath`,
        `${s.ItemsPath} is ${items === undefined ? 'missing' : typeof items}, not an array`,
      );
    const results: unknown[] = new Array(items.length);
    let nextIndex = 0;
    const worker = async () => {
      while (nextIndex < items.length) {
        const i = nextIndex++;
        this.emit('IterationEntered', s.Name, { index: i });
        results[i] = await this.runScope(s.Processor, items[i], false);
        this.emit('IterationExited', s.Name, { index: i });
      }
    };
    const width = Math.min(s.MaxConcurrency ?? DEFAULT_MAP_CONCURRENCY, Math.max(1, items.length));
    await Promise.all(Array.from({ length: width }, worker));
    return { Items: results };
  }
}
