import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DriftReport } from '../shared/drift/types.ts';
import { DRIFT_FLOW, PROVISION_FLOW } from '../shared/flow-names.ts';
import { DEMO } from '../local/emulators/fixtures.ts';
import { seedProvisionedLinks } from '../local/emulators/bulk-links.ts';
import type { Emulators } from '../local/emulators/index.ts';
import { FUNCTIONS_DIR } from '../local/engine/index.ts';
import { LocalFunctions } from '../local/engine/local-functions.ts';
import type { Engine } from '../local/engine/engine.ts';
import type { PublishedEvent } from '../local/engine/run.ts';
import { startStack } from '../local/stack.ts';
import { billTasks, functionSizes, USD_PER_TRANSITION, type FcBill } from './fc-billing.ts';

/**
 * A scheduled drift check over `links` provisioned links, the way the timer runs it: FC's timer
 * trigger event to `functions/drift`, which starts the drift flow; the run is then counted
 * (calls, transitions, events, pages, invocations, emulated time, price). Per-call latency and
 * occasional throttling can be injected. Used by the suite at small sizes and by `npm run bench`
 * at 10,000.
 */
export interface DriftScaleResult {
  links: number;
  status: string;
  /** The flow's error when it did not succeed (e.g. a state over CloudFlow's 64 KiB). */
  error?: { code: string; detail: string };
  drifted: number;
  calls: number;
  callsPerLink: number;
  /** Pages the run checked (shared/drift/paging.ts) and those that failed. */
  pages: number;
  pagesFailed: number;
  stateTransitions: number;
  /** History events of the execution (CloudFlow allows 5,000). */
  events: number;
  fc: FcBill;
  usd: number;
  emulatedSeconds: number;
  report?: DriftReport;
  /** The largest state input or output of the run (CloudFlow refuses one over 64 KiB). */
  largestStateBytes: number;
  /** zpl.drift.detected events the run published. */
  announced: PublishedEvent[];
  /** For each page checked (in order), how many drifted links it handed to announce. */
  handledPerPage: number[];
}

export interface DriftScaleOptions {
  latencyMs?: number;
  throttleProbability?: number;
  /** Links per page (the flow's default otherwise), through the timer's payload. */
  pageSize?: number;
  remediate?: boolean;
  before?: (emu: Emulators) => void;
  /** Sees the engine before the run starts (a test injects a fault while one page runs). */
  engine?: (engine: Engine, emu: Emulators) => void;
}

export async function measureDrift(links: number, opts: DriftScaleOptions = {}): Promise<DriftScaleResult> {
  const stack = await startStack({ stateDir: mkdtempSync(join(tmpdir(), 'zpl-drift-')), keepExecutions: false });
  try {
    const emu = stack.emulators;
    seedProvisionedLinks(emu.world, links);
    opts.before?.(emu);
    if (opts.latencyMs) emu.faults.add({ target: '*', kind: 'latency', latencyMs: opts.latencyMs });
    if (opts.throttleProbability)
      emu.faults.add({ target: '*', kind: 'error', code: 'Throttling.User', httpStatus: 400, probability: opts.throttleProbability });
    const engine = stack.engine.engine;
    opts.engine?.(engine, emu);
    const before = emu.calls.calls.length;
    const publishedBefore = stack.edge.published.length;
    // The timer trigger's event, shaped as FC documents it (test/reference/fc3/timer-trigger-event.json).
    const timer = new LocalFunctions({
      functionsDir: FUNCTIONS_DIR,
      region: DEMO.region,
      accountId: DEMO.accountId,
      credentials: { accessKeyId: DEMO.accessKeyId, accessKeySecret: DEMO.accessKeySecret },
      clock: emu.clock,
    });
    const fired = await timer.invoke('acs:fc:::functions/drift/LATEST', {
      triggerTime: new Date(emu.clock.now()).toISOString(),
      triggerName: 'drift-check',
      payload: JSON.stringify({
        regions: [DEMO.region],
        remediate: opts.remediate === true,
        ...(opts.pageSize ? { pageSize: opts.pageSize } : {}),
      }),
    });
    const { execution } = fired.Body as { execution: string };
    const rec = await engine.whenFinished(DRIFT_FLOW, execution);
    // Remediation starts provision runs that outlive the check: they finish before the stack stops, so
    // none of their step functions is still calling out once the next stack of the process is serving.
    for (const run of engine.listExecutions(PROVISION_FLOW, { status: 'Running' })) await engine.whenFinished(PROVISION_FLOW, run.name);
    const events = engine.history(DRIFT_FLOW, execution);
    const report = rec.output ? (JSON.parse(rec.output) as { report?: DriftReport }).report : undefined;
    const calls = emu.calls.calls.length - before;
    const largestStateBytes = Math.max(
      0,
      ...events
        .filter((e) => e.Type === 'StepEntered' || e.Type === 'StepExited')
        .map((e) => {
          const detail = JSON.parse(e.EventDetail) as { input?: unknown; output?: unknown };
          return Buffer.byteLength(JSON.stringify(e.Type === 'StepEntered' ? detail.input : detail.output) ?? '');
        }),
    );
    const stateTransitions = events.filter((e) => e.Type === 'StepEntered').length;
    const handledPerPage = events
      .filter((e) => e.Type === 'StepExited' && e.StepName === 'CheckPage' && !('caught' in JSON.parse(e.EventDetail)))
      .map((e) => (JSON.parse(e.EventDetail) as { output: { summary: { handled: number } } }).output.summary.handled);
    const fc = billTasks(events, functionSizes());
    return {
      links,
      status: rec.status,
      ...(rec.error ? { error: rec.error } : {}),
      drifted: report?.drifted ?? 0,
      calls,
      callsPerLink: calls / Math.max(1, links),
      pages: report?.pages ?? 0,
      pagesFailed: report?.pagesFailed ?? 0,
      stateTransitions,
      events: events.length,
      fc,
      usd: stateTransitions * USD_PER_TRANSITION + fc.usd,
      emulatedSeconds: (Date.parse(rec.stoppedTime!) - Date.parse(rec.startedTime)) / 1000,
      ...(report ? { report } : {}),
      largestStateBytes,
      announced: stack.edge.published.slice(publishedBefore).filter((e) => e.type === 'zpl.drift.detected'),
      handledPerPage,
    };
  } finally {
    await stack.stop();
  }
}
