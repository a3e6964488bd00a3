import type { CloudFlowApi, Execution, HistoryCursor, HistoryEvent } from '../shared/aliyun/cloudflow.ts';
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
  // Each poll reads only the events after the last one it has (about 420 KB a poll when it read them all).
  let cursor: HistoryCursor | undefined;
  const readOn = async () => {
    const page = await flows.historySince(flowName, executionName, cursor);
    cursor = page.cursor;
    events.push(...page.events);
    for (const line of reader.read(page.events)) opts.onLine?.(line);
  };
  for (;;) {
    const execution = await flows.describe(flowName, executionName);
    await readOn();
    if (FINISHED_STATUSES.has(execution.Status)) {
      // Events written after the status was read.
      await readOn();
      return { execution, report: reader.report, events };
    }
    await new Promise((r) => setTimeout(r, opts.pollMs));
  }
}
