import { countingLogger, driftPage } from '../../shared/drift/handlers.ts';
import type { DriftPage } from '../../shared/drift/paging.ts';
import { parseEvent, type FcContext } from '../../shared/fc-context.ts';
import { depsFromEnvironment, stepLogger } from '../../shared/steps/runtime.ts';

/** The drift flow's check of one page of managed links (a range of link IDs in one region). */
export const handler = async (event: Buffer, context: FcContext) => {
  const page = parseEvent(event) as DriftPage;
  const { log, calls } = countingLogger(stepLogger('CheckPage', context));
  const deps = await depsFromEnvironment({ ...context, region: page.region }, log);
  return driftPage(page, deps, context.accountId, calls);
};
