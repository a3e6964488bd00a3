import type { Execution, HistoryEvent } from '../aliyun/cloudflow.ts';
import { FINISHED_STATUSES } from '../aliyun/execution-status.ts';
import { ProgressReader } from '../progress.ts';
import type { LinkReport } from '../steps/report.ts';
import type { Cause, ExecutionView, RunRef, StateTiming } from './views.ts';

/**
 * One execution as the page shows it, from its CloudFlow history: the states it went through
 * with their timings, the ones open now (what the chart highlights), and why it failed — the
 * report's `failed` (the step, code and message the flow's Report step recorded), else the
 * execution's own error.
 */

export const runRef = (flow: string, e: Execution): RunRef => ({
  flow,
  name: e.Name,
  status: e.Status,
  startedTime: e.StartedTime,
  ...(e.StoppedTime ? { stoppedTime: e.StoppedTime } : {}),
});

const detailOf = (e: HistoryEvent): Record<string, unknown> => {
  try {
    const d = JSON.parse(e.EventDetail || '{}') as unknown;
    return d && typeof d === 'object' ? (d as Record<string, unknown>) : {};
  } catch {
    return {};
  }
};

/** The last link report a state handed on (the provision and follow flows carry one from Report to the end). */
function reportIn(output: unknown): LinkReport | undefined {
  const report = (output as { report?: LinkReport } | undefined)?.report;
  return report && typeof report === 'object' && 'outcome' in report ? report : undefined;
}

export interface RunReading {
  view: ExecutionView;
  report?: LinkReport;
}

export function readRun(run: RunRef, events: HistoryEvent[]): RunReading {
  const start = Date.parse(run.startedTime);
  const timings = new Map<string, StateTiming>();
  const open: string[] = [];
  let report: LinkReport | undefined;
  let lastFailed: string | undefined;
  let executionError: Cause | undefined;
  let lastTime = start;
  for (const e of events) {
    const time = Date.parse(e.Time);
    lastTime = Math.max(lastTime, time);
    if (e.Type === 'StepEntered') {
      const t = timings.get(e.StepName);
      if (t) {
        t.visits++;
        t.status = 'running';
      } else timings.set(e.StepName, { state: e.StepName, status: 'running', startedMs: time - start, elapsedMs: 0, visits: 1 });
      open.push(e.StepName);
    }
    if (e.Type === 'StepExited' || e.Type === 'StepFailed') {
      const t = timings.get(e.StepName);
      if (t) {
        t.status = e.Type === 'StepFailed' ? 'failed' : 'done';
        t.elapsedMs = time - start - t.startedMs;
      }
      const i = open.lastIndexOf(e.StepName);
      if (i >= 0) open.splice(i, 1);
      if (e.Type === 'StepFailed') lastFailed = e.StepName;
      report = reportIn(detailOf(e).output) ?? report;
    }
    if (/^Execution(Failed|TimedOut|Stopped)$/.test(e.Type)) {
      const d = detailOf(e);
      executionError = { code: String(d.error ?? e.Type), message: String(d.cause ?? '') };
    }
  }
  const finished = FINISHED_STATUSES.has(run.status);
  for (const t of timings.values()) if (t.status === 'running') t.elapsedMs = lastTime - start - t.startedMs;
  const progress = new ProgressReader();
  for (const line of progress.read(events)) {
    const t = timings.get(line.step);
    if (t && line.text) t.text = line.text;
    if (t && line.status === 'failed') t.status = 'failed';
  }
  const failed = report?.failed;
  const cause: Cause | undefined = failed
    ? { step: failed.step, code: failed.code, message: failed.message }
    : run.status !== 'Succeeded' && finished
      ? executionError
      : undefined;
  const view: ExecutionView = {
    run,
    ...(report?.linkId ? { linkId: report.linkId } : {}),
    active: finished ? [] : [...new Set(open)],
    visited: [...timings.keys()],
    ...(failed?.step && timings.has(failed.step) ? { failedState: failed.step } : lastFailed ? { failedState: lastFailed } : {}),
    states: [...timings.values()],
    ...(cause ? { cause } : {}),
  };
  return { view, ...(report ? { report } : {}) };
}
