import { isAliyunError } from '../shared/aliyun/errors.ts';
import type { CloudFlowApi, Execution } from '../shared/aliyun/cloudflow.ts';
import { flowOfExecution, ZPL_FLOWS } from '../shared/execution-flow.ts';

/**
 * An execution by name alone: its flow read from the name zpl gave it (`<link>-p0001` provision,
 * `-t…` teardown, `…-j<hex>` a follower, `drift-…`), else each of zpl's flows asked in turn
 * (a name given with `apply --name`). `flow` names it outright.
 */
export async function findExecution(flows: CloudFlowApi, name: string, flow?: string): Promise<{ flow: string; execution: Execution }> {
  const named = flow ?? flowOfExecution(name);
  if (named) return { flow: named, execution: await flows.describe(named, name) };
  let first: unknown;
  for (const candidate of ZPL_FLOWS) {
    try {
      return { flow: candidate, execution: await flows.describe(candidate, name) };
    } catch (e) {
      if (!isAliyunError(e, 'ExecutionNotExists')) throw e;
      first ??= e;
    }
  }
  const e = first as Error;
  e.message = `${e.message} (nor in ${ZPL_FLOWS.slice(1).join(', ')})`;
  throw e;
}
