import { isAliyunError } from './aliyun/errors.ts';
import { FINISHED_STATUSES, type CloudFlowApi, type Execution } from './aliyun/cloudflow.ts';
import { linkId } from './derived.ts';
import { earlierAnswer, joinRun, recordedRequests, requestKeyOf } from './link-joins.ts';
import { PROVISION_FLOW, TEARDOWN_FLOW } from './flow-names.ts';
import type { LinkSpec } from './spec.ts';

/**
 * One run per link at a time, whoever asks (API, events, CLI, drift remediation). Executions
 * are named `<linkId>-p<n>` (provision) or `<linkId>-t<n>` (teardown): simultaneous requests
 * compute the same next name and CloudFlow, which returns the running execution for a name
 * already running, makes them one. A request key (ticket, Idempotency-Key) stored in the input
 * finds its earlier run, so a redelivered request never starts another.
 *
 * n is the highest number listed plus one, not a count: CloudFlow's ListExecutions stops listing
 * old executions while their names stay taken (StartExecution: `ExecutionAlreadyExists`, fnf
 * metadata errorCodes."400"), so a count would fall back onto a used name. When even the highest
 * listed name is older than a used one (everything aged out), the next names are probed forward
 * with a doubling stride (n, n+1, n+3, n+7, …): every requester probes the same sequence, so
 * simultaneous requests still meet on one name. A request key finds its run while CloudFlow
 * still lists it.
 *
 * Every run is told the link's lifetime (`lifetime` in its input): the highest teardown number
 * listed, i.e. how many teardowns have run — none can be running when a run starts. Creates'
 * ClientTokens include it (shared/steps/types.ts createTokensFor): stable across the runs of one
 * lifetime, new after a teardown. When old teardowns age out of ListExecutions the number can fall
 * back to an earlier lifetime's; a create then may be answered with a resource deleted since, which
 * the steps detect and create past (shared/steps/create-once.ts).
 */
export class LinkBusyError extends Error {
  constructor(
    readonly running: Execution,
    readonly flow: string,
  ) {
    super(`link is busy: ${flow} execution ${running.Name} is ${running.Status}; try again when it ends`);
  }
}

export interface LinkRun {
  execution: Execution;
  /** True when the request joined a running execution or found its own earlier one. */
  joined: boolean;
  /** The follower (flows/follow.yaml) that answers this request, when it joined someone else's run. */
  follower?: string;
}

/** The letter before a run's number in its name, per flow. */
export const RUN_TAGS = { [PROVISION_FLOW]: 'p', [TEARDOWN_FLOW]: 't' } as Record<string, string>;
const TAG = RUN_TAGS;

/** How far forward the names are probed: 2^20 names, far past any link's history. */
const PROBES = 20;

/** The run number in a name `<prefix><tag><n>`, or 0 for any other name. */
export function runNumber(name: string, prefix: string, tag: string): number {
  if (!name.startsWith(prefix + tag)) return 0;
  const digits = name.slice(prefix.length + tag.length);
  return /^\d+$/.test(digits) ? Number(digits) : 0;
}

export const runName = (prefix: string, tag: string, n: number) => `${prefix}${tag}${String(n).padStart(4, '0')}`;

/**
 * The request's run: its own earlier one (by request key), or the one running (which it joins:
 * a provision run someone else started only for the same spec, recorded by a follower that
 * answers it, shared/link-joins.ts), or the link's next.
 */
export async function startLinkRun(
  flows: CloudFlowApi,
  flow: typeof PROVISION_FLOW | typeof TEARDOWN_FLOW,
  spec: LinkSpec,
  input: Record<string, unknown>,
  requestKey?: string,
): Promise<LinkRun> {
  const prefix = `${linkId(spec)}-`;
  const tag = TAG[flow]!;
  const other = flow === PROVISION_FLOW ? TEARDOWN_FLOW : PROVISION_FLOW;
  const provision = flow === PROVISION_FLOW;
  const [mine, others, recorded] = await Promise.all([
    flows.list(flow, { prefix }),
    flows.list(other, { prefix }),
    requestKey && provision ? recordedRequests(flows, spec) : [],
  ]);
  const theirs = others.filter((e) => !FINISHED_STATUSES.has(e.Status));
  const running = mine.find((e) => !FINISHED_STATUSES.has(e.Status));
  // A key's own run, or its recorded answer, first: a redelivery never joins a later run.
  if (requestKey) {
    const earlier = mine.find((e) => requestKeyOf(e) === requestKey);
    if (earlier) return { execution: earlier, joined: true };
    const answered = await earlierAnswer(flows, recorded, spec, requestKey);
    if (answered) return answered;
  }
  const join = (run: Execution) => (provision ? joinRun(flows, run, spec, input, requestKey) : { execution: run, joined: true });
  if (running) return join(running);
  if (theirs[0]) throw new LinkBusyError(theirs[0], other);
  const next = Math.max(0, ...mine.map((e) => runNumber(e.Name, prefix, tag))) + 1;
  const teardowns = flow === TEARDOWN_FLOW ? mine : others;
  const lifetime = Math.max(0, ...teardowns.map((e) => runNumber(e.Name, prefix, TAG[TEARDOWN_FLOW]!)));
  const body = { ...input, lifetime, ...(requestKey ? { requestKey } : {}) };
  for (let probe = 0; probe < PROBES; probe++) {
    const name = runName(prefix, tag, next + 2 ** probe - 1);
    try {
      const started = await flows.start(flow, name, body);
      // Another requester's run of the same name, started a moment ago, is joined like any running one.
      if (started.Input !== undefined && started.Input !== JSON.stringify(body)) return await join(started);
      return { execution: started, joined: false };
    } catch (e) {
      if (!isAliyunError(e, 'ExecutionAlreadyExists')) throw e;
      // Taken: by a run started a moment ago (a simultaneous request), by this very request
      // redelivered, or by a run CloudFlow no longer lists. Join the first two; go further on.
      const taken = await flows.describe(flow, name);
      if (requestKey && requestKeyOf(taken) === requestKey) return { execution: taken, joined: true };
      if (!FINISHED_STATUSES.has(taken.Status)) return await join(taken);
    }
  }
  throw new Error(
    `could not start a ${flow} execution for link ${linkId(spec)}: ${PROBES} names after ${runName(prefix, tag, next)} are all taken`,
  );
}
