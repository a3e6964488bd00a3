import { isAliyunError } from './aliyun/errors.ts';
import { FINISHED_STATUSES, type CloudFlowApi, type Execution } from './aliyun/cloudflow.ts';
import { linkId } from './derived.ts';
import { PROVISION_FLOW, TEARDOWN_FLOW } from './flow-names.ts';
import type { LinkSpec } from './spec.ts';

/**
 * One run per link at a time, whoever asks (API, events, CLI, drift remediation). Executions
 * are named `<linkId>-p<n>` (provision) or `<linkId>-t<n>` (teardown), n counting the link's
 * runs: simultaneous requests compute the same next name and CloudFlow, which returns the running
 * execution for a name already running, makes them one. A request key (ticket, Idempotency-Key)
 * stored in the input finds its earlier run, so a redelivered request never starts another.
 */
export class LinkBusyError extends Error {
  constructor(readonly running: Execution, readonly flow: string) {
    super(`link is busy: ${flow} execution ${running.Name} is ${running.Status}; try again when it ends`);
  }
}

export interface LinkRun {
  execution: Execution;
  /** True when the request joined a running execution or found its own earlier one. */
  joined: boolean;
}

const TAG = { [PROVISION_FLOW]: 'p', [TEARDOWN_FLOW]: 't' } as Record<string, string>;

const requestKeyOf = (e: Execution) => {
  try {
    return (JSON.parse(e.Input ?? '{}') as { requestKey?: string }).requestKey;
  } catch {
    return undefined;
  }
};

export async function startLinkRun(flows: CloudFlowApi, flow: typeof PROVISION_FLOW | typeof TEARDOWN_FLOW, spec: LinkSpec, input: Record<string, unknown>, requestKey?: string): Promise<LinkRun> {
  const prefix = `${linkId(spec)}-`;
  const other = flow === PROVISION_FLOW ? TEARDOWN_FLOW : PROVISION_FLOW;
  for (let attempt = 0; attempt < 3; attempt++) {
    const [mine, others] = await Promise.all([flows.list(flow, { prefix }), flows.list(other, { prefix })]);
    const theirs = others.filter((e) => !FINISHED_STATUSES.has(e.Status));
    const running = mine.find((e) => !FINISHED_STATUSES.has(e.Status));
    if (running) return { execution: running, joined: true };
    if (theirs[0]) throw new LinkBusyError(theirs[0], other);
    if (requestKey) {
      const earlier = mine.find((e) => requestKeyOf(e) === requestKey);
      if (earlier) return { execution: earlier, joined: true };
    }
    const name = `${prefix}${TAG[flow]}${String(mine.length + 1).padStart(4, '0')}`;
    const body = { ...input, ...(requestKey ? { requestKey } : {}) };
    try {
      const started = await flows.start(flow, name, body);
      return { execution: started, joined: started.Input !== undefined && started.Input !== JSON.stringify(body) };
    } catch (e) {
      // Another request took this number and already finished: count again.
      if (!isAliyunError(e, 'ExecutionAlreadyExists')) throw e;
    }
  }
  throw new Error(`could not start a ${flow} execution for link ${linkId(spec)}: too many concurrent runs`);
}
