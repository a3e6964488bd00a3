import type { HistoryEvent } from './aliyun/cloudflow.ts';
import { linkSteps } from './steps/index.ts';
import type { LinkReport } from './steps/report.ts';
import type { Change } from './steps/types.ts';

/**
 * Progress from a provision execution's history: one line per step when it finishes (with the
 * time it took, on the engine's clock), one line when a wait begins, and the run's report.
 * The CLI prints these; the HTTP API returns them.
 */

export interface StepLine {
  step: string;
  /** `skipped`: the step had nothing of the link's to act on (its changes say only why). */
  status: 'done' | 'waiting' | 'failed' | 'skipped';
  /** Engine-clock milliseconds from the step's first entry to this line. */
  elapsedMs: number;
  text: string;
}

/** The states progress shows a line for: the table's steps that act on a link or wait for it. */
const STEP_TASKS = new Set(linkSteps().map((s) => s.state));

export const duration = (ms: number) => {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
};

function describeChanges(changes: Change[]): string {
  return changes
    .map((c) => `${c.action} ${c.resource}${c.id ? ` ${c.id}` : ''}${c.note && c.action !== 'created' ? ` (${c.note})` : ''}`)
    .join('; ');
}

/** Turns events into step lines; keeps what it has seen, so it can be fed page after page. */
export class ProgressReader {
  private readonly firstEntered = new Map<string, number>();
  private readonly waiting = new Set<string>();
  private changesSeen = 0;
  report?: LinkReport;

  read(events: HistoryEvent[]): StepLine[] {
    const lines: StepLine[] = [];
    for (const e of events) {
      const time = Date.parse(e.Time);
      if (e.Type === 'StepEntered' && !this.firstEntered.has(e.StepName)) this.firstEntered.set(e.StepName, time);
      if (e.Type !== 'StepExited') continue;
      const output = (JSON.parse(e.EventDetail || '{}') as { output?: Record<string, unknown> }).output ?? {};
      if (e.StepName === 'Report') {
        this.report = output.report as LinkReport;
        continue;
      }
      if (!STEP_TASKS.has(e.StepName)) continue;
      const elapsedMs = time - (this.firstEntered.get(e.StepName) ?? time);
      const failed = output.failed as { code: string; message: string } | undefined;
      const wait = output.wait as { ready: boolean; waitingFor: string; nextPollSeconds: number } | undefined;
      const state = output.state as { changes?: Change[] } | undefined;
      if (failed) {
        lines.push({ step: e.StepName, status: 'failed', elapsedMs, text: `${failed.code}: ${failed.message}` });
      } else if (wait && !wait.ready) {
        if (!this.waiting.has(e.StepName))
          lines.push({ step: e.StepName, status: 'waiting', elapsedMs, text: `waiting for ${wait.waitingFor}` });
        this.waiting.add(e.StepName);
      } else {
        const changes = state?.changes ?? [];
        const fresh = changes.slice(this.changesSeen);
        this.changesSeen = changes.length;
        const skipped = fresh.length > 0 && fresh.every((c) => c.action === 'skipped');
        lines.push(
          skipped
            ? { step: e.StepName, status: 'skipped', elapsedMs, text: `skipped: ${fresh.map((c) => c.note ?? c.resource).join('; ')}` }
            : { step: e.StepName, status: 'done', elapsedMs, text: describeChanges(fresh) },
        );
      }
    }
    return lines;
  }
}
