import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { ApiError } from '../rpc/error.ts';
import type { Clock } from '../../shared/clock.ts';
import type { CredentialProvider } from '../../shared/credentials/provider.ts';
import type { FcCredentials } from '../../shared/fc-context.ts';
import { silentLogger, type Logger } from '../../shared/log.ts';
import { checkFlow, formatProblem, requireFlow } from './fdl-check.ts';
import { FlowError } from './flow-errors.ts';
import { LocalFunctions } from './local-functions.ts';
import { Interrupt, Run, type RunDeps } from './run.ts';
import { EngineStore, FINISHED, type ExecutionRecord, type FlowEvent, type FlowRecord } from './store.ts';

/**
 * The local CloudFlow: flows and executions with CloudFlow's rules (names, de-duplication of
 * executions by name, callbacks by task token), persisted under a state directory and resumed
 * after a restart. The FnF API (`fnf-api.ts`) is a thin wire layer over these methods.
 */

/** An error the FnF API answers with: `Code`, message and HTTP status, like every emulated Alibaba API. */
export { ApiError as FnfError };

// Codes and wording from the FnF 2019-03-15 metadata's errorCodes.
export const fnfErrors = {
  missing: (name: string) => new ApiError('MissingRequiredParams', `The HTTP query '${name}' must be specified.`, 400),
  invalid: (detail: string) => new ApiError('InvalidArgument', `Parameter error. ${detail}`, 400),
  flowNotExists: (flow: string) => new ApiError('FlowNotExists', `Flow  ${flow} does not exist.`, 404),
  flowExists: (flow: string) => new ApiError('FlowAlreadyExists', `Flow ${flow} already exists.`, 409),
  executionNotExists: (exec: string, flow: string) =>
    new ApiError('ExecutionNotExists', `Execution ${exec} for flow ${flow} does not exist.`, 404),
  executionExists: (exec: string, flow: string) =>
    new ApiError('ExecutionAlreadyExists', `Execution ${exec} for flow ${flow} already exists.`, 400),
  executionCompleted: (exec: string, flow: string) =>
    new ApiError('ExecutionAlreadyCompleted', `Execution '${exec}' for flow '${flow}' has already completed.`, 400),
  taskCompleted: (token: string) => new ApiError('TaskAlreadyCompleted', `Task ${token} has already completed.`, 400),
};

const NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,127}$/;
const MAX_INPUT = 32 * 1024;

export interface EngineOptions {
  clock: Clock;
  /** Where flows and executions are kept; in memory only when absent. */
  stateDir?: string;
  functionsDir: string;
  region: string;
  accountId: string;
  /**
   * Handed to functions as `context.credentials`, as FC does with the function's role; a provider
   * (the CLI's default chain) is asked at each invocation, so a temporary key is renewed.
   */
  credentials: FcCredentials | CredentialProvider;
  log?: Logger;
  /** The event bus `EventBridge:PutEvents` tasks publish to (the local stack's). */
  publish?: RunDeps['publish'];
  /**
   * ListExecutions stops listing an execution this long after it finished, as CloudFlow's
   * retention ages history out; its name stays taken (StartExecution still answers
   * ExecutionAlreadyExists). Unset: every execution stays listed.
   */
  listRetentionSeconds?: number;
}

interface Callback {
  resolve(output: unknown): void;
  reject(e: FlowError): void;
}

export class Engine {
  readonly store: EngineStore;
  private readonly functions: LocalFunctions;
  private readonly runs = new Map<string, { run: Run; done: Promise<void> }>();
  private readonly callbacks = new Map<string, Callback>();
  private readonly completedTokens = new Set<string>();
  private readonly finished = new EventEmitter();
  private readonly log: Logger;
  private closed = false;

  constructor(private readonly opts: EngineOptions) {
    this.store = new EngineStore(opts.stateDir);
    this.functions = new LocalFunctions({
      functionsDir: opts.functionsDir,
      region: opts.region,
      accountId: opts.accountId,
      credentials: opts.credentials,
      clock: opts.clock,
    });
    this.log = opts.log ?? silentLogger;
    this.finished.setMaxListeners(0);
  }

  /** The clock executions run on. */
  get clock(): Clock {
    return this.opts.clock;
  }

  private time = () => new Date(this.opts.clock.now()).toISOString();
  private key = (flow: string, exec: string) => `${flow}/${exec}`;

  /** Re-enters every execution the store shows as running (after a crash or restart). */
  resume(): ExecutionRecord[] {
    const resumed = this.store.running();
    for (const rec of resumed) {
      this.log.info('execution.resumed', { flow: rec.flowName, execution: rec.name, state: rec.cursor?.state });
      this.launch(rec);
    }
    return resumed;
  }

  // ── flows ───────────────────────────────────────────────────────────────────────────────
  createFlow(p: {
    Name: string;
    Definition: string;
    Description: string;
    Type: string;
    RoleArn?: string;
    ExecutionMode?: string;
  }): FlowRecord {
    if (!NAME.test(p.Name))
      throw fnfErrors.invalid(`Name ${p.Name} must start with a letter or _ and hold up to 128 letters, digits, _ or -.`);
    if (this.store.flow(p.Name)) throw fnfErrors.flowExists(p.Name);
    if (p.Type !== 'FDL') throw fnfErrors.invalid('Type must be FDL.');
    if (p.ExecutionMode && !['Standard', 'Express'].includes(p.ExecutionMode))
      throw fnfErrors.invalid('ExecutionMode must be Standard or Express.');
    this.checkDefinition(p.Definition, p.Name);
    const now = this.time();
    const flow: FlowRecord = {
      Id: randomUUID(),
      Name: p.Name,
      Definition: p.Definition,
      Description: p.Description,
      Type: p.Type,
      RoleArn: p.RoleArn ?? '',
      ExecutionMode: p.ExecutionMode ?? 'Standard',
      CreatedTime: now,
      LastModifiedTime: now,
    };
    this.store.saveFlow(flow);
    return flow;
  }

  updateFlow(p: { Name: string; Definition?: string; Description?: string; Type?: string; RoleArn?: string }): FlowRecord {
    const flow = this.describeFlow(p.Name);
    if (p.Type !== undefined && p.Type !== 'FDL') throw fnfErrors.invalid('Type must be FDL.');
    if (p.Definition !== undefined) this.checkDefinition(p.Definition, p.Name);
    const next: FlowRecord = {
      ...flow,
      Definition: p.Definition ?? flow.Definition,
      Description: p.Description ?? flow.Description,
      RoleArn: p.RoleArn ?? flow.RoleArn,
      LastModifiedTime: this.time(),
    };
    this.store.saveFlow(next);
    return next;
  }

  describeFlow(name: string): FlowRecord {
    const flow = this.store.flow(name);
    if (!flow) throw fnfErrors.flowNotExists(name);
    return flow;
  }

  listFlows(): FlowRecord[] {
    return this.store.allFlows();
  }

  private checkDefinition(definition: string, flowName: string) {
    const result = checkFlow(definition, `${flowName}.yaml`);
    if (!result.ok) throw fnfErrors.invalid(`The flow definition is invalid: ${result.problems.map(formatProblem).join('; ')}`);
  }

  // ── executions ──────────────────────────────────────────────────────────────────────────
  startExecution(p: { FlowName: string; ExecutionName?: string; Input?: string }): ExecutionRecord {
    const flow = this.describeFlow(p.FlowName);
    const name = p.ExecutionName || `e${randomUUID().replace(/-/g, '').slice(1)}`;
    if (!NAME.test(name))
      throw fnfErrors.invalid(`ExecutionName ${name} must start with a letter or _ and hold up to 128 letters, digits, _ or -.`);
    const existing = this.store.execution(flow.Name, name);
    if (existing) {
      // Same name while running → that execution; after it finished → ExecutionAlreadyExists.
      if (!FINISHED.has(existing.status)) return existing;
      throw fnfErrors.executionExists(name, flow.Name);
    }
    const input = p.Input === undefined || p.Input === '' ? '{}' : p.Input;
    if (Buffer.byteLength(input) > MAX_INPUT) throw fnfErrors.invalid(`Input is larger than ${MAX_INPUT} bytes.`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(input);
    } catch {
      throw fnfErrors.invalid('Input must be a JSON object.');
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw fnfErrors.invalid('Input must be a JSON object.');
    const rec: ExecutionRecord = {
      flowName: flow.Name,
      name,
      status: 'Starting',
      definition: flow.Definition,
      input,
      startedTime: this.time(),
      eventCount: 0,
    };
    this.store.saveExecution(rec);
    this.launch(rec);
    return rec;
  }

  private launch(rec: ExecutionRecord) {
    if (this.closed) return;
    const definition = requireFlow(rec.definition, `${rec.flowName}.yaml`);
    const run = new Run(
      {
        clock: this.opts.clock,
        store: this.store,
        functions: this.functions,
        log: this.log,
        awaitCallback: (token) =>
          new Promise((resolve, reject) => {
            this.callbacks.set(token, { resolve, reject });
          }),
        cancelCallback: (token) => {
          this.callbacks.delete(token);
        },
        publish: this.opts.publish,
        observe: (r, event) => this.finished.emit('event', r, event),
      },
      rec,
      definition,
    );
    const k = this.key(rec.flowName, rec.name);
    const done = run.execute().finally(() => {
      this.runs.delete(k);
      this.finished.emit(k, rec);
    });
    this.runs.set(k, { run, done });
  }

  describeExecution(flowName: string, name: string): ExecutionRecord {
    this.describeFlow(flowName);
    const rec = this.store.execution(flowName, name);
    if (!rec) throw fnfErrors.executionNotExists(name, flowName);
    return rec;
  }

  /** Describes, waiting up to `waitSeconds` (real time) for the execution to finish. */
  async waitExecution(flowName: string, name: string, waitSeconds: number): Promise<ExecutionRecord> {
    const rec = this.describeExecution(flowName, name);
    if (waitSeconds <= 0 || FINISHED.has(rec.status)) return rec;
    const k = this.key(flowName, name);
    // The wait runs on the engine's clock (emulated time in the local world), like every timer here.
    const over = new AbortController();
    let onEnd = () => undefined as void;
    const ended = new Promise<void>((resolve) => this.finished.once(k, (onEnd = () => resolve())));
    await Promise.race([ended, this.opts.clock.sleep(waitSeconds * 1000, over.signal)]);
    over.abort();
    this.finished.off(k, onEnd);
    return this.describeExecution(flowName, name);
  }

  history(flowName: string, name: string) {
    this.describeExecution(flowName, name);
    return this.store.history(flowName, name);
  }

  listExecutions(flowName: string, filter: { status?: string; prefix?: string } = {}): ExecutionRecord[] {
    this.describeFlow(flowName);
    const retention = this.opts.listRetentionSeconds;
    const listed = (e: ExecutionRecord) =>
      retention === undefined || !e.stoppedTime || Date.parse(e.stoppedTime) + retention * 1000 > this.opts.clock.now();
    return this.store
      .executionsOf(flowName)
      .filter((e) => listed(e) && (!filter.status || e.status === filter.status) && (!filter.prefix || e.name.startsWith(filter.prefix)));
  }

  stopExecution(flowName: string, name: string, error?: string, cause?: string): ExecutionRecord {
    const rec = this.describeExecution(flowName, name);
    if (FINISHED.has(rec.status)) throw fnfErrors.executionCompleted(name, flowName);
    const running = this.runs.get(this.key(flowName, name));
    if (running) running.run.interrupt(new Interrupt('Stopped', error || 'FnF.Stopped', cause || 'stopped by StopExecution'));
    return rec;
  }

  /** Resolves once the execution has finished (Succeeded, Failed, Stopped or TimedOut). */
  whenFinished(flowName: string, name: string): Promise<ExecutionRecord> {
    const rec = this.describeExecution(flowName, name);
    if (FINISHED.has(rec.status)) return Promise.resolve(rec);
    return new Promise((resolve) => this.finished.once(this.key(flowName, name), () => resolve(this.describeExecution(flowName, name))));
  }

  /** Calls `listener` with every history event any execution writes, as it is written; returns an unsubscribe. */
  onEvent(listener: (rec: ExecutionRecord, event: FlowEvent) => void): () => void {
    this.finished.on('event', listener);
    return () => this.finished.off('event', listener);
  }

  /** Resolves once the execution is no longer running in this engine. */
  async settled(flowName: string, name: string): Promise<ExecutionRecord> {
    await this.runs.get(this.key(flowName, name))?.done;
    return this.describeExecution(flowName, name);
  }

  // ── callbacks ───────────────────────────────────────────────────────────────────────────
  reportTaskSucceeded(token: string, output: string): number {
    const cb = this.takeCallback(token);
    let parsed: unknown;
    try {
      parsed = JSON.parse(output);
    } catch {
      this.callbacks.set(token, cb);
      throw fnfErrors.invalid('Output must be JSON.');
    }
    cb.resolve(parsed);
    return this.eventIdFor(token);
  }

  reportTaskFailed(token: string, error: string, cause = ''): number {
    this.takeCallback(token).reject(new FlowError(error, cause));
    return this.eventIdFor(token);
  }

  private takeCallback(token: string): Callback {
    if (this.completedTokens.has(token)) throw fnfErrors.taskCompleted(token);
    const cb = this.callbacks.get(token);
    if (!cb) throw fnfErrors.invalid(`TaskToken ${token} does not belong to a task waiting for a callback.`);
    this.callbacks.delete(token);
    this.completedTokens.add(token);
    return cb;
  }

  private eventIdFor(token: string): number {
    const [flow, exec] = token.split('.');
    return (this.store.execution(flow ?? '', exec ?? '')?.eventCount ?? 0) + 1;
  }

  /** Function invocations in progress (work that is not waiting on the clock). */
  get busy(): number {
    return this.functions.inFlight;
  }

  /** Stops the engine without finishing its executions, as a crash would; a new engine resumes them. */
  async abandon(): Promise<void> {
    this.closed = true;
    for (const { run } of this.runs.values()) run.detach();
    this.runs.clear();
  }

  /** Waits for every running execution to finish (tests, graceful shutdown of short runs). */
  async drain(): Promise<void> {
    while (this.runs.size > 0) await Promise.all([...this.runs.values()].map((r) => r.done));
  }
}
