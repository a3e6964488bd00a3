import { takeDelivery } from '../../shared/events/link-requested.ts';
import { parseEvent, type FcContext } from '../../shared/fc-context.ts';
import { callbackHosts, cloudFlowFromContext } from '../../shared/http/config.ts';
import { jsonLogger } from '../../shared/log.ts';

/** EventBridge trigger → `zpl.link.requested` intake. */
export const handler = async (event: Buffer, context: FcContext) => {
  let raw: unknown;
  try {
    raw = parseEvent(event);
  } catch {
    raw = undefined;
  }
  return takeDelivery(raw, { flows: cloudFlowFromContext(context), callbackHosts: callbackHosts(), log: jsonLogger(undefined, { function: 'zpl-events', requestId: context.requestId }) });
};
