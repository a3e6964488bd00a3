import { countingLogger, driftPage } from '../../shared/drift/handlers.ts';
import type { DriftPage } from '../../shared/drift/paging.ts';
import { parseEvent, type FcContext } from '../../shared/fc-context.ts';
import { depsFromEnvironment, stepLogger } from '../../shared/steps/runtime.ts';

/** The drift flow's check of one page of managed links (a range of link IDs in one region and account). */
export const handler = async (event: Buffer, context: FcContext) => {
  const { page, execution } = parseEvent(event) as { page: DriftPage; execution: string };
  const { log, calls } = countingLogger(stepLogger('CheckPage', context));
  // Another account's page acts as its role, the session named after the drift run (as a link's steps do).
  const deps = () =>
    depsFromEnvironment({ ...context, region: page.region }, log, process.env, undefined, page.role && { ...page.role, execution });
  return driftPage(page, deps, context.accountId, calls);
};
