import { takeDelivery } from '../../shared/events/link-requested.ts';
import { parseEvent, type FcContext } from '../../shared/fc-context.ts';
import { functionConfig } from '../../shared/function-config.ts';
import { cloudFlowFromContext } from '../../shared/http/config.ts';
import { jsonLogger } from '../../shared/log.ts';

/** `zpl.link.requested` intake: the target of the EventBridge rule `zpl deploy-bus` makes on zpl's bus. */
export const handler = async (event: Buffer, context: FcContext) => {
  let raw: unknown;
  try {
    raw = parseEvent(event);
  } catch {
    raw = undefined;
  }
  const results = await takeDelivery(raw, {
    flows: cloudFlowFromContext(context),
    callbackHosts: functionConfig().callbackHosts,
    log: jsonLogger(undefined, { function: 'zpl-events', requestId: context.requestId }),
  });
  // Only a busy link is worth a redelivery (EventBridge retries a failed invocation with back-off).
  const busy = results.filter((r) => !r.accepted && r.retry);
  if (busy.length > 0) throw new Error(`link busy for event(s) ${busy.map((r) => r.eventId).join(', ')}: redeliver later`);
  return results;
};
