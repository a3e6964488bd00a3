import type { Execution } from '../shared/aliyun/cloudflow.ts';
import { startLinkRun } from '../shared/link-runs.ts';
import { PROVISION_FLOW } from '../shared/flows.ts';
import type { LinkSpec } from '../shared/spec.ts';
import type { LinkReport } from '../shared/steps/report.ts';
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
  if (!opts.json) write(`${joined ? 'joined running' : 'started'} execution ${name} of ${flow} on ${target.description}`);
  if (!opts.follow) {
    if (opts.json) write(JSON.stringify({ execution: name, status: execution.Status, joined }));
    else write(`follow it with: zpl status ${name} --follow${flow === PROVISION_FLOW ? '' : ` --flow ${flow}`}`);
    return { execution, joined };
  }
  const result = await follow(target.flows, flow, name, {
    pollMs: target.pollMs,
    onLine: opts.json ? undefined : (l) => write(formatLine(l)),
  });
  if (opts.json)
    write(
      JSON.stringify(
        {
          execution: name,
          status: result.execution.Status,
          startedTime: result.execution.StartedTime,
          stoppedTime: result.execution.StoppedTime,
          report: result.report,
        },
        null,
        2,
      ),
    );
  else write(formatSummary(result.execution, result.report, Date.now() - started));
  return { execution: result.execution, report: result.report, joined };
}
