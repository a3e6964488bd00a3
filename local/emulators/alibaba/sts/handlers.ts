import type { Handler } from '../handler.ts';

/** STS 2015-04-01: GetCallerIdentity answers the identity of the key that signed the call (no parameters). */
export const stsHandlers: Record<string, Handler> = {
  GetCallerIdentity: (ctx) => ({ ...ctx.world.sts.callerIdentity(ctx.accessKeyId) }),
};
