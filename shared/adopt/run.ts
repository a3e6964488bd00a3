import { isAliyunError } from '../aliyun/errors.ts';
import { FINISHED_STATUSES, type CloudFlowApi, type Execution } from '../aliyun/cloudflow.ts';
import { linkId } from '../derived.ts';
import { ADOPT_FLOW, PROVISION_FLOW, TEARDOWN_FLOW } from '../flow-names.ts';
import { LinkBusyError, runName, runNumber } from '../link-runs.ts';
import type { LinkSpec } from '../spec.ts';
import type { AdoptRequest } from './request.ts';

/**
 * Starts the adopt flow for a link: `<linkId>-a<n>`, the next number. Adopting while a provision
 * run or a teardown of the link is in flight is refused (LinkBusyError), as is a second adoption
 * in flight: marks written under a run would change what it converges midway.
 */
export async function startAdoptRun(flows: CloudFlowApi, spec: LinkSpec, adopt: AdoptRequest): Promise<Execution> {
  const prefix = `${linkId(spec)}-`;
  const [mine, ...others] = await Promise.all(
    [ADOPT_FLOW, PROVISION_FLOW, TEARDOWN_FLOW].map(async (flow) => ({ flow, runs: await flows.list(flow, { prefix }) })),
  );
  for (const { flow, runs } of [...others, mine!]) {
    const running = runs.find((e) => !FINISHED_STATUSES.has(e.Status));
    if (running) throw new LinkBusyError(running, flow);
  }
  const next = Math.max(0, ...mine!.runs.map((e) => runNumber(e.Name, prefix, 'a'))) + 1;
  // A name taken by a run CloudFlow no longer lists: the next one.
  for (let n = next; n < next + 20; n++) {
    try {
      return await flows.start(ADOPT_FLOW, runName(prefix, 'a', n), { spec, adopt });
    } catch (e) {
      if (!isAliyunError(e, 'ExecutionAlreadyExists')) throw e;
    }
  }
  throw new Error(`could not start an adopt execution for link ${linkId(spec)}: 20 names after ${runName(prefix, 'a', next)} are taken`);
}
