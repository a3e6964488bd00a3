import { driftCheck, type DriftCheckInput } from '../../shared/drift/handlers.ts';
import { parseEvent, type FcContext } from '../../shared/fc-context.ts';
import { depsFromEnvironment, stepLogger } from '../../shared/steps/runtime.ts';

/** The drift flow's check: every managed link against its recorded desired state. */
export const handler = async (event: Buffer, context: FcContext) => {
  const log = stepLogger('DriftCheck', context);
  const deps = await depsFromEnvironment(context, log);
  return driftCheck(parseEvent(event) as DriftCheckInput, deps, context.accountId, context.region);
};
