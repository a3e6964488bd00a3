import { countingLogger, driftDiscover } from '../../shared/drift/handlers.ts';
import { parseEvent, type FcContext } from '../../shared/fc-context.ts';
import { depsFromEnvironment, stepLogger } from '../../shared/steps/runtime.ts';

/** The drift flow's plan: the managed links of each region, cut into pages. */
export const handler = async (event: Buffer, context: FcContext) => {
  const { log, calls } = countingLogger(stepLogger('Discover', context));
  // Each region's own clients (endpoints, Zilliz's control plane), whatever region the function runs in.
  return driftDiscover(parseEvent(event), (region) => depsFromEnvironment({ ...context, region }, log), context.region, calls);
};
