import { isAliyunError } from '../aliyun/errors.ts';
import { linkId } from '../derived.ts';
import { parseEvent, type FcContext, type FcEventHandler } from '../fc-context.ts';
import { adoptInput, type AdoptRequest } from '../adopt/request.ts';
import { parseLinkSpec, type LinkSpec } from '../spec.ts';
import { isZillizError } from '../zilliz/errors.ts';
import type { StepEntry } from './index.ts';
import { buildReport } from './report.ts';
import { depsFromEnvironment, stepLogger, type NetworkFor } from './runtime.ts';
import { emptyState, StepFailure, type Failure, type LinkState, type Step, type StepResult, type WaitStatus } from './types.ts';

/**
 * What a step's function answers: every field always present, so the flow's constructors never
 * read an absent one, and `outcome` a string its Choice states compare with (CloudFlow documents
 * comparisons for strings and numbers, not null; the error-handling and Choice pages).
 */
export interface StepReply {
  outcome: 'done' | 'waiting' | 'failed';
  state: LinkState;
  failed: Failure | null;
  wait: WaitStatus | null;
}

export function stepReply(result: StepResult): StepReply {
  const outcome = result.failed ? 'failed' : result.wait && !result.wait.ready ? 'waiting' : 'done';
  return { outcome, state: result.state, failed: result.failed ?? null, wait: result.wait ?? null };
}

/**
 * The FC handler around a step: event `{spec, state}` in, a `StepReply` out.
 * Problems that will not go away by retrying (bad spec, a refused call, a wait past its
 * deadline, a provider still throttling when the invocation's budget is spent) come back as
 * `failed` for the flow to branch on; only crashes are thrown, for the flow's Retry.
 */

/** The execution's input as its starter gave it (`$Context.Execution.Input`): only `spec` is required. */
interface RunRequest {
  spec?: unknown;
  removeClusters?: unknown;
  ticketId?: unknown;
  /** The link's lifetime (completed teardowns), from whoever started the run (shared/link-runs.ts). */
  lifetime?: unknown;
  /** The adopt flow's named resources (shared/adopt/request.ts). */
  adopt?: unknown;
}

interface StepEvent {
  input?: RunRequest;
  state?: LinkState | null;
  failed?: Failure | null;
  execution?: string;
}

function readEvent(
  name: string,
  event: Buffer,
):
  | { spec: LinkSpec; state: LinkState; execution: string; lifetime: number; removeClusters?: string[]; adopt?: AdoptRequest }
  | { failed: Failure; state: LinkState } {
  const body = parseEvent(event) as StepEvent;
  const request = body.input ?? {};
  const parsed = parseLinkSpec(request.spec);
  if (!parsed.ok) {
    return {
      state: body.state ?? emptyState('unknown'),
      failed: { step: name, code: 'Spec.Invalid', message: parsed.errors.map((e) => `${e.field || '(spec)'}: ${e.message}`).join('; ') },
    };
  }
  const adopt = request.adopt === undefined ? undefined : adoptInput.safeParse(request.adopt);
  if (adopt && !adopt.success)
    return {
      state: body.state ?? emptyState(linkId(parsed.spec)),
      failed: {
        step: name,
        code: 'Adopt.Invalid',
        message: adopt.error.issues.map((i) => `adopt.${i.path.join('.')}: ${i.message}`).join('; '),
      },
    };
  const remove = Array.isArray(request.removeClusters)
    ? request.removeClusters.filter((c): c is string => typeof c === 'string')
    : undefined;
  return {
    spec: parsed.spec,
    state: body.state ?? emptyState(linkId(parsed.spec)),
    execution: typeof body.execution === 'string' ? body.execution : '',
    lifetime: Number.isSafeInteger(request.lifetime) && (request.lifetime as number) >= 0 ? (request.lifetime as number) : 0,
    ...(remove?.length ? { removeClusters: remove } : {}),
    ...(adopt ? { adopt: adopt.data } : {}),
  };
}

/**
 * A provider's answer ends the step as `failed` with that provider's code and message: a refusal
 * at once, a transient answer (throttling, 5xx, a timeout) once the clients' retries have used the
 * invocation's budget (invocation-budget.ts). Thrown, it would reach the flow as FC's
 * `UnhandledInvocationError` with a JSON blob, and the flow's Retry would spend another budget.
 * Only crashes (our bugs, a lost module) are thrown.
 */
export function permanentFailure(step: string, e: unknown): Failure | undefined {
  if (e instanceof StepFailure) return { step, code: e.code, message: e.message };
  if (isAliyunError(e)) return { step, code: e.code, message: e.message };
  if (isZillizError(e)) return { step, code: `Zilliz.${e.code}`, message: e.message };
  return undefined;
}

/** An FC handler that says which table entry and implementation it runs (test/steps-table.test.ts reads them). */
export type StepFcHandler = FcEventHandler & { readonly entry: StepEntry; readonly implementation: Step };

export function stepHandler(entry: StepEntry, step: Step, opts: { network?: NetworkFor } = {}): StepFcHandler {
  const name = entry.state;
  const handler = async (event: Buffer, context: FcContext): Promise<StepReply> => {
    const input = readEvent(name, event);
    if ('failed' in input) return stepReply(input);
    const log = stepLogger(name, context).child({ link: input.state.linkId });
    try {
      const deps = await depsFromEnvironment(context, log, process.env, opts.network);
      const result = await step(input, deps);
      log.info('step.done', { ready: result.wait?.ready, changes: result.state.changes.length });
      return stepReply(result);
    } catch (e) {
      const failed = permanentFailure(name, e);
      if (!failed) throw e;
      log.warn('step.failed', { code: failed.code, message: failed.message });
      return stepReply({ state: input.state, failed });
    }
  };
  return Object.assign(handler, { entry, implementation: step });
}

/** The last step: the run's report, success or not. */
export const reportHandler: FcEventHandler = async (event: Buffer) => {
  const body = parseEvent(event) as StepEvent;
  const request = body.input ?? {};
  const ticketId = typeof request.ticketId === 'string' ? request.ticketId : '';
  const parsed = parseLinkSpec(request.spec);
  if (!parsed.ok)
    return {
      ok: false,
      outcome: 'failed',
      ticketId,
      failed: body.failed ?? { step: 'Report', code: 'Spec.Invalid', message: 'the spec is invalid' },
      changes: body.state?.changes ?? [],
    };
  return { ...buildReport(parsed.spec, body.state ?? emptyState(linkId(parsed.spec)), body.failed ?? undefined), ticketId };
};
