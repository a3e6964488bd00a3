import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Clock } from '../../shared/clock.ts';
import { PARITY_CASES, type ParityCase } from './cases.ts';
import { compareSnapshots, type CaseResult } from './compare.ts';
import { CaseContext } from './context.ts';
import { writeReport, type ParityReport } from './report.ts';
import { readSnapshot, SNAPSHOT_FORMAT, writeSnapshot, type RecordedCase, type Snapshot } from './snapshot.ts';
import { sweepLeftovers } from './sweep.ts';
import { aliyunTarget, localTarget, type ParityTarget, type TargetName } from './targets.ts';

/** A real-cloud snapshot committed here is the expected side of every local run (CI's included). */
export const COMMITTED_SNAPSHOT = fileURLToPath(new URL('./snapshots/aliyun.json', import.meta.url));

export interface ParityOptions {
  target: TargetName;
  /** Run the write cases too (tagged resources, always removed). */
  write: boolean;
  /** Make an interface endpoint as well (billed by the hour while it exists); implies write. */
  endpoint: boolean;
  /** The environment the real-cloud target reads (process.env from the command line). */
  env: NodeJS.ProcessEnv;
  reportDir: string;
  /** A snapshot file to compare with instead of the default expected side. */
  expect?: string;
  /** Where to write this run's snapshot as well (to commit a real-cloud one). */
  record?: string;
  /** Only these case IDs. */
  cases?: string[];
  /** The clock the real-cloud target waits on between polls (default: the system clock). */
  clock?: Clock;
}

/**
 * Runs the parity cases against the target and compares the answers with the expected side:
 * `--expect`'s file; for the real cloud, the emulators answering the same cases in this process;
 * for the emulators, a committed real-cloud snapshot when there is one (otherwise each answer is
 * held to what the cases declare and to the catalog). Writes the report and returns it.
 */
export async function runParity(opts: ParityOptions): Promise<ParityReport> {
  const selected = PARITY_CASES.filter((c) => !opts.cases || opts.cases.includes(c.id));
  const mode = { write: opts.write || opts.endpoint, endpoint: opts.endpoint };
  const target = opts.target === 'aliyun' ? aliyunTarget(opts.env, mode, opts.clock) : await localTarget(mode);
  let actual: Snapshot;
  try {
    actual = await recordTarget(target, selected, mode);
  } finally {
    await target.close();
  }
  if (opts.record) writeSnapshot(opts.record, actual);
  const { expected, expectedSource } = await expectedSide(opts, selected, mode);
  const results: CaseResult[] = compareSnapshots(actual, expected);
  return writeReport(opts.reportDir, { target: target.description, expectedSource, mode, results, actual, expected });
}

async function expectedSide(
  opts: ParityOptions,
  selected: ParityCase[],
  mode: Snapshot['mode'],
): Promise<{ expected?: Snapshot; expectedSource: string }> {
  if (opts.expect) return { expected: readSnapshot(opts.expect), expectedSource: `the snapshot ${opts.expect}` };
  if (opts.target === 'aliyun') {
    const local = await localTarget(mode);
    try {
      return {
        expected: await recordTarget(local, selected, mode),
        expectedSource: 'the emulators, answering the same cases in this process',
      };
    } finally {
      await local.close();
    }
  }
  if (existsSync(COMMITTED_SNAPSHOT))
    return { expected: readSnapshot(COMMITTED_SNAPSHOT), expectedSource: `the committed real-cloud snapshot ${COMMITTED_SNAPSHOT}` };
  return { expectedSource: 'none recorded: each answer held to the codes and status words the cases declare, and to the catalog' };
}

/** Every selected case against one target; write cases clean up after themselves, and the sweeper after them. */
export async function recordTarget(target: ParityTarget, selected: readonly ParityCase[], mode: Snapshot['mode']): Promise<Snapshot> {
  const runId = `p${randomBytes(5).toString('hex')}`;
  const cases: Record<string, RecordedCase> = {};
  const sweeper = new CaseContext(target, runId);
  if (mode.write) await sweepLeftovers(sweeper);
  try {
    for (const parityCase of selected) cases[parityCase.id] = await runCase(target, parityCase, runId, mode);
  } finally {
    if (mode.write) await sweepLeftovers(sweeper);
  }
  return { format: SNAPSHOT_FORMAT, target: target.name, recordedAt: new Date().toISOString(), mode, cases };
}

async function runCase(target: ParityTarget, parityCase: ParityCase, runId: string, mode: Snapshot['mode']): Promise<RecordedCase> {
  const skip = whyNotRun(target, parityCase, mode);
  const ctx = new CaseContext(target, runId);
  if (skip) return ctx.recorded(parityCase.title, 'not-run', skip);
  let failure: string | undefined;
  try {
    await parityCase.run(ctx);
  } catch (e) {
    failure = (e as Error).message;
  } finally {
    const leftovers = await ctx.cleanUp();
    if (leftovers.length > 0) failure = [failure, `clean-up failed: ${leftovers.join('; ')}`].filter(Boolean).join('; ');
  }
  return ctx.recorded(parityCase.title, failure ? 'aborted' : 'ran', failure);
}

function whyNotRun(target: ParityTarget, parityCase: ParityCase, mode: Snapshot['mode']): string | undefined {
  if (parityCase.needs === 'write' && !mode.write) return 'writes: run with --write';
  if (parityCase.needs === 'endpoint' && !mode.endpoint) return 'makes a billed endpoint: run with --endpoint';
  if (parityCase.needs === 'endpoint' && !target.sandbox.serviceId) return 'no endpoint service visible to the account';
  if (parityCase.zilliz && !(target.zilliz && target.sandbox.projectId && target.sandbox.clusterId))
    return 'no Zilliz project: set ZILLIZ_API_KEY, ZPL_PARITY_PROJECT_ID and ZPL_PARITY_CLUSTER_ID';
  return undefined;
}
