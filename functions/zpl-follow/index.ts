import { parseEvent, type FcContext } from '../../shared/fc-context.ts';
import { configuredClock, functionConfig } from '../../shared/function-config.ts';
import { cloudFlowFromContext } from '../../shared/http/config.ts';
import { followRun } from '../../shared/steps/follow-run.ts';
import { stepLogger } from '../../shared/steps/runtime.ts';

/** A follower's look at the run it follows (see shared/steps/follow-run.ts). */
export const handler = async (event: Buffer, context: FcContext) => {
  // The flow hands over the follower's input as its starter gave it (shared/link-joins.ts).
  const body = parseEvent(event) as { input?: unknown };
  return followRun(body.input, {
    flows: cloudFlowFromContext(context),
    clock: await configuredClock(functionConfig()),
    log: stepLogger('FollowRun', context),
  });
};
