import { actionDef } from '../../shared/aliyun/catalog.ts';
import { AliyunError } from '../../shared/aliyun/errors.ts';
import type { Product } from '../../shared/aliyun/products.ts';
import type { AliyunTransport } from '../../shared/aliyun/rpc.ts';
import type { StructuredParams } from '../../shared/aliyun/wire-params.ts';
import type { Clock } from '../../shared/clock.ts';
import type { ZillizClient } from '../../shared/zilliz/client.ts';
import { ZillizError } from '../../shared/zilliz/errors.ts';
import { literalsOf, Normaliser } from './normalise.ts';
import type { RecordedCall, RecordedCase } from './snapshot.ts';
import { shapeOf } from './shape.ts';

const POLL_MS = 10_000;
const UNTIL_MS = 20 * 60_000;

/** The account a target runs the cases in: region, sandbox VPC and (optionally) the Zilliz project and cluster. */
export interface Sandbox {
  region: string;
  vpcId: string;
  projectId?: string;
  clusterId?: string;
  /** An endpoint service this account may connect to (the endpoint case). */
  serviceId?: string;
}

/** What a case states about a call's answer, and where that comes from. */
export type Declared = NonNullable<RecordedCall['declared']>;

export interface CallOptions {
  declared?: Declared;
  /** Status words are compared unless the call reads resources the case did not make (a shared VPC's groups). */
  compareLiterals?: boolean;
}

/** The clients and sandbox of one target, as the cases see them. */
export interface TargetClients {
  transport: AliyunTransport;
  zilliz?: ZillizClient;
  sandbox: Sandbox;
  clock: Clock;
}

/**
 * What a case calls through: each call goes over the product's own transport or Zilliz client
 * and is recorded (normalised) under its label; `quietly` calls (polls, cleanup) are not.
 */
export class CaseContext {
  readonly calls: RecordedCall[] = [];
  private readonly normaliser = new Normaliser();
  private readonly cleanups: { label: string; run: () => Promise<void> }[] = [];

  constructor(
    readonly clients: TargetClients,
    /** Names and tags this run's resources carry (the sweeper finds leftovers by them). */
    readonly runId: string,
  ) {}

  get sandbox(): Sandbox {
    return this.clients.sandbox;
  }

  /** One Alibaba call, recorded; the raw answer, or undefined when it failed. */
  async alibaba(label: string, product: Product, action: string, params: StructuredParams, opts: CallOptions = {}) {
    try {
      const answer = await this.quietly(product, action, params);
      const def = actionDef(product, action);
      const checked = def?.response().safeParse(answer);
      const problem =
        checked && !checked.success ? checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') : undefined;
      this.record(label, `${product}.${action}`, { outcome: 'ok' }, answer, opts, problem);
      return answer;
    } catch (e) {
      if (!(e instanceof AliyunError) || e.httpStatus === undefined) throw e;
      this.record(label, `${product}.${action}`, { outcome: 'error', httpStatus: e.httpStatus, code: e.code }, {}, opts);
      return undefined;
    }
  }

  /** One Zilliz operation through the product's client (its answer as the client parses it), recorded. */
  async zilliz<T>(
    label: string,
    operation: string,
    call: (client: ZillizClient) => Promise<T>,
    opts: CallOptions = {},
  ): Promise<T | undefined> {
    const client = this.clients.zilliz;
    if (!client) throw new Error('no Zilliz client for this target');
    try {
      const answer = await call(client);
      this.record(label, `Zilliz.${operation}`, { outcome: 'ok' }, answer, opts);
      return answer;
    } catch (e) {
      if (!(e instanceof ZillizError) || e.httpStatus === undefined) throw e;
      this.record(label, `Zilliz.${operation}`, { outcome: 'error', httpStatus: e.httpStatus, code: String(e.code) }, {}, opts);
      return undefined;
    }
  }

  /** A call that is not recorded: polls, and the case's own clean-up. */
  quietly(product: Product, action: string, params: StructuredParams): Promise<Record<string, unknown>> {
    return this.clients.transport.call(product as 'Ecs', action as 'DescribeSecurityGroups', this.sandbox.region, params) as Promise<
      Record<string, unknown>
    >;
  }

  /**
   * Polls `done` on the target's clock (every 10 s, for at most 20 minutes: an endpoint becomes
   * Active, a deleted one disappears) and fails naming `what` past that.
   */
  async until(done: () => Promise<boolean>, what: string): Promise<void> {
    const deadline = this.clients.clock.now() + UNTIL_MS;
    while (!(await done())) {
      if (this.clients.clock.now() >= deadline) throw new Error(`gave up waiting for ${what} after ${UNTIL_MS / 60_000} minutes`);
      await this.clients.clock.sleep(POLL_MS);
    }
  }

  /** Registers how to remove what the case just made; run last-made first, whatever happens. */
  onCleanup(label: string, run: () => Promise<void>): void {
    this.cleanups.push({ label, run });
  }

  /** Runs every clean-up, newest first; returns the ones that failed (each is tried). */
  async cleanUp(): Promise<string[]> {
    const failed: string[] = [];
    for (const c of this.cleanups.splice(0).reverse()) {
      try {
        await c.run();
      } catch (e) {
        failed.push(`${c.label}: ${(e as Error).message}`);
      }
    }
    return failed;
  }

  private record(
    label: string,
    api: string,
    outcome: Pick<RecordedCall, 'outcome' | 'httpStatus' | 'code'>,
    answer: unknown,
    opts: CallOptions,
    catalogProblem?: string,
  ): void {
    this.calls.push({
      label,
      api,
      ...outcome,
      shape: outcome.outcome === 'ok' ? shapeOf(answer) : {},
      literals: outcome.outcome === 'ok' ? literalsOf(answer) : {},
      compareLiterals: opts.compareLiterals ?? true,
      ...(opts.declared ? { declared: opts.declared } : {}),
      ...(catalogProblem ? { catalogProblem } : {}),
      body: this.normaliser.normalise(answer),
    });
  }

  /** The case as recorded so far. */
  recorded(title: string, status: RecordedCase['status'], reason?: string): RecordedCase {
    return { title, status, ...(reason ? { reason } : {}), calls: this.calls };
  }
}
