import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DriftReport } from '../shared/drift/types.ts';
import { DRIFT_FLOW } from '../shared/flow-names.ts';
import { DEMO } from '../local/emulators/fixtures.ts';
import { seedProvisionedLinks } from '../local/emulators/bulk-links.ts';
import type { Emulators } from '../local/emulators/index.ts';
import { FUNCTIONS_DIR } from '../local/engine/index.ts';
import { LocalFunctions } from '../local/engine/local-functions.ts';
import { startStack } from '../local/stack.ts';
import { billTasks, functionSizes, USD_PER_TRANSITION, type FcBill } from './fc-billing.ts';

/**
 * A scheduled drift check over `links` provisioned links, the way the timer runs it: FC's timer
 * trigger event to `functions/drift`, which starts the drift flow; the run is then counted
 * (calls, transitions, invocations, emulated time, price). Per-call latency and occasional
 * throttling can be injected. Used by the suite at a small size and by `npm run bench` at 1,000.
 */
export interface DriftScaleResult {
  links: number;
  status: string;
  /** The flow's error when it did not succeed (e.g. a state over CloudFlow's 64 KiB). */
  error?: { code: string; detail: string };
  drifted: number;
  calls: number;
  callsPerLink: number;
  stateTransitions: number;
  fc: FcBill;
  usd: number;
  emulatedSeconds: number;
  report?: DriftReport;
  /** The largest state input or output of the run (CloudFlow refuses one over 64 KiB). */
  largestStateBytes: number;
}

export async function measureDrift(
  links: number,
  opts: { latencyMs?: number; throttleProbability?: number; before?: (emu: Emulators) => void } = {},
): Promise<DriftScaleResult> {
  const stack = await startStack({ stateDir: mkdtempSync(join(tmpdir(), 'zpl-drift-')), keepExecutions: false });
  try {
    const emu = stack.emulators;
    seedProvisionedLinks(emu.world, links);
    opts.before?.(emu);
    if (opts.latencyMs) emu.faults.add({ target: '*', kind: 'latency', latencyMs: opts.latencyMs });
    if (opts.throttleProbability)
      emu.faults.add({ target: '*', kind: 'error', code: 'Throttling.User', httpStatus: 400, probability: opts.throttleProbability });
    const before = emu.calls.calls.length;
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
      payload: JSON.stringify({ regions: [DEMO.region], remediate: false }),
    });
    const { execution } = fired.Body as { execution: string };
    const engine = stack.engine.engine;
    const rec = await engine.whenFinished(DRIFT_FLOW, execution);
    const events = engine.history(DRIFT_FLOW, execution);
    const checked = events.find((e) => e.Type === 'StepExited' && e.StepName === 'Check');
    const report = checked ? (JSON.parse(checked.EventDetail).output.report as DriftReport) : undefined;
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
    const fc = billTasks(events, functionSizes());
    return {
      links,
      status: rec.status,
      ...(rec.error ? { error: rec.error } : {}),
      drifted: report?.drifted ?? 0,
      calls,
      callsPerLink: calls / Math.max(1, links),
      stateTransitions,
      fc,
      usd: stateTransitions * USD_PER_TRANSITION + fc.usd,
      emulatedSeconds: (Date.parse(rec.stoppedTime!) - Date.parse(rec.startedTime)) / 1000,
      ...(report ? { report } : {}),
      largestStateBytes,
    };
  } finally {
    await stack.stop();
  }
}
