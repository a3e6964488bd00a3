import { FINISHED_STATUSES, type Execution } from '../shared/aliyun/cloudflow.ts';
import type { Target } from './target.ts';

/**
 * An execution once it has ended, asked of the target until then: CloudFlow is long-polled
 * (DescribeExecution's WaitTimeSeconds, 30 s), the local targets every `pollMs`.
 */
export async function awaitExecution(target: Target, flow: string, name: string): Promise<Execution> {
  for (;;) {
    const e = await target.flows.describe(flow, name, target.kind === 'cloudflow' ? 30 : 0);
    if (FINISHED_STATUSES.has(e.Status)) return e;
    await new Promise((r) => setTimeout(r, target.pollMs));
  }
}
