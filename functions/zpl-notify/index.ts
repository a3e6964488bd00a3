import { parseEvent, type FcContext } from '../../shared/fc-context.ts';
import { configuredClock, functionConfig } from '../../shared/function-config.ts';
import { notify, type NotifyInput } from '../../shared/steps/notify.ts';
import { readSecret } from '../../shared/secrets.ts';
import { stepLogger } from '../../shared/steps/runtime.ts';

/** Calls the requester back with the run's report (see shared/steps/notify.ts). */
export const handler = async (event: Buffer, context: FcContext) => {
  // The flow hands over the execution's input as the starter gave it: ticket and callback are optional there.
  const body = parseEvent(event) as Omit<NotifyInput, 'ticketId' | 'callback'> & {
    input?: { ticketId?: string; callback?: { url: string } };
  };
  const input: NotifyInput = {
    execution: body.execution,
    report: body.report,
    ticketId: body.input?.ticketId,
    callback: body.input?.callback,
  };
  const config = functionConfig();
  const clock = await configuredClock(config);
  const source = { env: process.env, credentials: context.credentials, region: context.region, endpoint: config.alibabaEndpoint, clock };
  return notify(input, {
    allowedHosts: config.callbackHosts,
    secret: await readSecret('ZPL_CALLBACK_SECRET', source),
    clock,
    log: stepLogger('Notify', context),
  });
};
