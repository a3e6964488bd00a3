import type { Execution } from '../shared/aliyun/cloudflow.ts';
import { startLinkRun } from '../shared/link-runs.ts';
import { PROVISION_FLOW } from '../shared/flows.ts';
import type { LinkSpec } from '../shared/spec.ts';
import type { LinkReport } from '../shared/steps/report.ts';
import type { z } from '../shared/zod.ts';
import type { followEvent, RunStatus } from './json-output.ts';
import { follow, formatLine } from './progress.ts';
import { formatSummary } from './summary.ts';
import type { Target } from './target.ts';

export interface ApplyOptions {
  name?: string;
  /** The flow to run (default: provision) and its input (default: {spec}). */
  flow?: string;
  input?: Record<string, unknown>;
  follow: boolean;
  json: boolean;
  write?: (line: string) => void;
}

export interface ApplyResult {
  execution: Execution;
  report?: LinkReport;
  joined: boolean;
}

export type FollowEvent = z.infer<typeof followEvent>;

/** `--json` output: one object a line (json-output.ts followEvent), so `--follow --json` streams as it happens. */
export const jsonLine = (write: (line: string) => void) => (event: FollowEvent) => write(JSON.stringify(event));

/** Starts (or joins) the provision execution for a spec and, when asked, follows it to the end. */
export async function applyLink(target: Target, spec: LinkSpec, opts: ApplyOptions): Promise<ApplyResult> {
  const write = opts.write ?? ((l: string) => console.log(l));
  const started = Date.now();
  const flow = opts.flow ?? PROVISION_FLOW;
  const input = opts.input ?? { spec };
  let execution: Execution;
  let joined = false;
  if (opts.name) {
    execution = await target.flows.start(flow, opts.name, input);
  } else {
    ({ execution, joined } = await startLinkRun(target.flows, flow as typeof PROVISION_FLOW, spec, { ...input, source: 'cli' }));
  }
  const name = execution.Name;
  const emit = jsonLine(write);
  if (opts.json) emit({ event: 'started', execution: name, flow, status: execution.Status as RunStatus, joined });
  else write(`${joined ? 'joined running' : 'started'} execution ${name} of ${flow} on ${target.description}`);
  if (!opts.follow) {
    if (!opts.json) write(`follow it with: zpl status ${name} --follow`);
    return { execution, joined };
  }
  const result = await follow(target.flows, flow, name, {
    pollMs: target.pollMs,
    onLine: opts.json ? (l) => emit({ event: 'step', execution: name, ...l }) : (l) => write(formatLine(l)),
  });
  if (opts.json) emit(finishedEvent(flow, result.execution, result.report));
  else write(formatSummary(result.execution, result.report, Date.now() - started));
  return { execution: result.execution, report: result.report, joined };
}

/** The last line of a followed run in --json. */
export function finishedEvent(flow: string, execution: Execution, report: LinkReport | undefined): FollowEvent {
  return {
    event: 'finished',
    execution: execution.Name,
    flow,
    status: execution.Status as RunStatus,
    startedTime: execution.StartedTime,
    ...(execution.StoppedTime ? { stoppedTime: execution.StoppedTime } : {}),
    ...(report ? { report } : {}),
  };
}
