import type { CloudFlowApi, Execution, HistoryEvent } from '../shared/aliyun/cloudflow.ts';
import { FINISHED_STATUSES } from '../shared/aliyun/cloudflow.ts';
import type { LinkReport } from '../shared/steps/report.ts';
import { duration, ProgressReader, type StepLine } from '../shared/progress.ts';

/** Live progress in the terminal, from the execution's history. */
export { duration, ProgressReader, type StepLine };

const MARKS: Record<StepLine['status'], string> = { done: '✓', failed: '✗', waiting: '…', skipped: '–' };

export const formatLine = (l: StepLine) =>
  `  ${MARKS[l.status]} ${l.step.padEnd(20)} ${duration(l.elapsedMs).padStart(6)}  ${l.text}`.trimEnd();

/** Polls the history until the execution ends, handing each new line to `onLine`. */
export async function follow(
  flows: CloudFlowApi,
  flowName: string,
  executionName: string,
  opts: { pollMs: number; onLine?: (line: StepLine) => void },
): Promise<{ execution: Execution; report?: LinkReport; events: HistoryEvent[] }> {
  const reader = new ProgressReader();
  const events: HistoryEvent[] = [];
  for (;;) {
    const execution = await flows.describe(flowName, executionName);
    const fresh = await flows.history(flowName, executionName, events.at(-1)?.EventId ?? 0);
    events.push(...fresh);
    for (const line of reader.read(fresh)) opts.onLine?.(line);
    if (FINISHED_STATUSES.has(execution.Status)) {
      // Events written after the status was read.
      const tail = await flows.history(flowName, executionName, events.at(-1)?.EventId ?? 0);
      events.push(...tail);
      for (const line of reader.read(tail)) opts.onLine?.(line);
      return { execution, report: reader.report, events };
    }
    await new Promise((r) => setTimeout(r, opts.pollMs));
  }
}
