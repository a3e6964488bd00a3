import { systemClock } from '../../shared/clock.ts';
import type { FcContext } from '../../shared/fc-context.ts';
import { apiApp } from '../../shared/http/app.ts';
import { ReplayGuard } from '../../shared/http/auth.ts';
import { authFromFunction, cloudFlowFromContext } from '../../shared/http/config.ts';
import { fcHttpHandler } from '../../shared/http/fc-http.ts';
import { functionConfig } from '../../shared/function-config.ts';
import { jsonLogger } from '../../shared/log.ts';

// One replay guard per function instance: it outlives single invocations.
const replays = new ReplayGuard();

/** FC HTTP trigger → the API router. */
export const handler = (event: Buffer, context: FcContext) =>
  fcHttpHandler(async () =>
    apiApp({
      flows: cloudFlowFromContext(context),
      clock: systemClock,
      auth: await authFromFunction(context),
      log: jsonLogger(undefined, { function: 'zpl-api', requestId: context.requestId }),
      replays,
      callbackHosts: functionConfig().callbackHosts,
      assumeRoles: functionConfig().assumeRoles,
    }),
  )(event);
