import { remediate, type DriftedLink } from '../../shared/drift/handlers.ts';
import { parseEvent, type FcContext } from '../../shared/fc-context.ts';
import { cloudFlowFromContext } from '../../shared/http/config.ts';

/** Re-runs the provision flow for one drifted link. */
export const handler = async (event: Buffer, context: FcContext) =>
  remediate(cloudFlowFromContext(context), parseEvent(event) as DriftedLink);
