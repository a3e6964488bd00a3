import type { CloudFlowApi, Execution } from '../shared/aliyun/cloudflow.ts';
import { DRIFT_FLOW, TEARDOWN_FLOW } from '../shared/flow-names.ts';
import { linkOfExecution, ZPL_FLOWS } from '../shared/execution-flow.ts';
import { inputOf } from '../shared/link-joins.ts';
import { runNumber, RUN_TAGS } from '../shared/link-runs.ts';
import type { z } from '../shared/zod.ts';
import type { executionList, RunStatus } from './json-output.ts';

export type ExecutionRow = z.infer<typeof executionList>['executions'][number];
export interface Listed {
  flow: string;
  execution: Execution;
}

export const executionRow = ({ flow, execution: e }: Listed): ExecutionRow => ({
  execution: e.Name,
  flow,
  status: e.Status as RunStatus,
  startedTime: e.StartedTime,
  ...(e.StoppedTime ? { stoppedTime: e.StoppedTime } : {}),
  ...(linkOfExecution(e.Name) ? { linkId: linkOfExecution(e.Name) } : {}),
});

/**
 * Where a link's run stands in its history, for runs started in the same millisecond (locally,
 * emulated time stands still while the world works): provision runs of lifetime L (the teardowns
 * before them, in their input: link-runs.ts) by number, then the teardown ending that lifetime.
 */
function runOrder({ flow, execution }: Listed): number[] {
  const link = linkOfExecution(execution.Name);
  const tag = RUN_TAGS[flow];
  if (!link || !tag) return [];
  const n = runNumber(execution.Name, `${link}-`, tag);
  if (flow === TEARDOWN_FLOW) return [n - 1, 1, n];
  const lifetime = inputOf(execution).lifetime;
  return [typeof lifetime === 'number' ? lifetime : 0, 0, n];
}

/** Newest first: by start time, then by the run order, then by name. */
export function newestFirst(a: Listed, b: Listed): number {
  const byTime = b.execution.StartedTime.localeCompare(a.execution.StartedTime);
  if (byTime) return byTime;
  const [x, y] = [runOrder(a), runOrder(b)];
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return y[i]! - x[i]!;
  return b.execution.Name.localeCompare(a.execution.Name);
}

/** Every execution of `flows` (one paged ListExecutions each), narrowed by name prefix when given, newest first. */
export async function listed(api: CloudFlowApi, flows: readonly string[], prefix?: string): Promise<Listed[]> {
  const lists = await Promise.all(
    flows.map(async (flow) => (await api.list(flow, prefix ? { prefix } : {})).map((execution) => ({ flow, execution }))),
  );
  return lists.flat().sort(newestFirst);
}

/**
 * zpl's executions, newest first: one paged ListExecutions per flow, narrowed by name prefix to a
 * link's runs and followers (`<linkId>-`) when one is named; drift checks belong to no link.
 */
export async function listExecutions(api: CloudFlowApi, link?: string): Promise<ExecutionRow[]> {
  const flows = ZPL_FLOWS.filter((f) => !(link && f === DRIFT_FLOW));
  return (await listed(api, flows, link ? `${link}-` : undefined)).map(executionRow);
}
