import { systemClock } from '../../shared/clock.ts';
import { parseEvent, type FcContext } from '../../shared/fc-context.ts';
import { callbackHosts } from '../../shared/http/config.ts';
import { remoteClock } from '../../shared/remote-clock.ts';
import { notify, type NotifyInput } from '../../shared/steps/notify.ts';
import { stepLogger } from '../../shared/steps/runtime.ts';

/** Calls the requester back with the run's report (see shared/steps/notify.ts). */
export const handler = async (event: Buffer, context: FcContext) => {
  const input = parseEvent(event) as NotifyInput;
  const clock = process.env.ZPL_CLOCK_URL ? await remoteClock(process.env.ZPL_CLOCK_URL) : systemClock;
  return notify(input, { allowedHosts: callbackHosts(), secret: process.env.ZPL_CALLBACK_SECRET, clock, log: stepLogger('Notify', context) });
};
