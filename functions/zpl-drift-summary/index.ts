import { driftSummary, type DriftPlan, type PageOutcome } from '../../shared/drift/handlers.ts';
import { parseEvent, type FcContext } from '../../shared/fc-context.ts';

/** The drift flow's report: its pages added up (no cloud calls). */
export const handler = async (event: Buffer, _context: FcContext) =>
  driftSummary(parseEvent(event) as { plan: DriftPlan; pages: PageOutcome[] });
