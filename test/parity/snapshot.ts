import { readFileSync, writeFileSync } from 'node:fs';
import * as z from 'zod';

/**
 * A parity snapshot: what one target answered to every case, normalised (normalise.ts) so it can
 * be committed and compared with another target's. The format is LocalStack's idea (recorded
 * content per test, values that vary replaced) reduced to what the comparison reads: per call its
 * outcome, HTTP status, error code, shape (shape.ts) and status words, plus the normalised answer
 * for a reader. A snapshot recorded against the real cloud (`--record`) and committed as
 * `test/parity/snapshots/aliyun.json` becomes the expected side of every local run, in CI too.
 */
export const SNAPSHOT_FORMAT = 'zpl-parity/1';

const jsonType = z.enum(['string', 'number', 'boolean', 'null', 'object', 'array']);

export const recordedCallSchema = z.object({
  label: z.string(),
  /** `Ecs.DescribeSecurityGroupAttribute`, `Zilliz.describeCluster`. */
  api: z.string(),
  outcome: z.enum(['ok', 'error']),
  httpStatus: z.number().optional(),
  code: z.string().optional(),
  shape: z.record(z.string(), jsonType),
  literals: z.record(z.string(), z.array(z.string())),
  /** Compare the status words too (false for reads of resources the case did not make). */
  compareLiterals: z.boolean(),
  /** What the case declares, with its source (a metadata error code, a documented status word). */
  declared: z
    .object({
      code: z.string().optional(),
      httpStatus: z.number().optional(),
      literals: z.record(z.string(), z.string()).optional(),
      source: z.string(),
    })
    .optional(),
  /** Why the product's own catalog would refuse this answer (its response schema), if it would. */
  catalogProblem: z.string().optional(),
  body: z.unknown(),
});
export type RecordedCall = z.infer<typeof recordedCallSchema>;

export const recordedCaseSchema = z.object({
  title: z.string(),
  status: z.enum(['ran', 'aborted', 'not-run']),
  /** Why a case was not run or stopped early (a missing variable, an unexpected failure). */
  reason: z.string().optional(),
  calls: z.array(recordedCallSchema),
});
export type RecordedCase = z.infer<typeof recordedCaseSchema>;

export const snapshotSchema = z.object({
  format: z.literal(SNAPSHOT_FORMAT),
  target: z.enum(['local', 'aliyun']),
  recordedAt: z.string(),
  /** What was run: reads only, or the write cases (and the endpoint) too. */
  mode: z.object({ write: z.boolean(), endpoint: z.boolean() }),
  cases: z.record(z.string(), recordedCaseSchema),
});
export type Snapshot = z.infer<typeof snapshotSchema>;

export const readSnapshot = (path: string): Snapshot => snapshotSchema.parse(JSON.parse(readFileSync(path, 'utf8')));

export const writeSnapshot = (path: string, snapshot: Snapshot): void => writeFileSync(path, `${JSON.stringify(snapshot, null, 2)}\n`);
