import { actionDef } from '../../../shared/aliyun/catalog.ts';
import { type Handler, type HandlerContext, fail } from './handler.ts';

/**
 * A product the account has not activated. `NeedOpenProduct` "The product is not activated."
 * (HTTP 400) is PrivateLink's code for it: privatelink_2020-04-15.json errorCodes["400"] of
 * CheckProductOpen and CreateVpcEndpointService. The metadata lists it for no endpoint action;
 * that those refuse with it too is an assumption (the README's unverified list).
 */
export function requirePrivateLinkOpened(ctx: HandlerContext): void {
  if (ctx.world.accounts.get(ctx.accountId)?.privateLinkOpened === false) fail('NeedOpenProduct', 'The product is not activated.');
}

/** The same PrivateLink handlers, each write refused while PrivateLink is not activated for the caller. */
export function refusingWritesUntilPrivateLinkOpened(handlers: Record<string, Handler>): Record<string, Handler> {
  return Object.fromEntries(
    Object.entries(handlers).map(([action, handler]) => [
      action,
      actionDef('Privatelink', action)?.write
        ? (ctx: HandlerContext, p: Parameters<Handler>[1]) => {
            requirePrivateLinkOpened(ctx);
            return handler(ctx, p);
          }
        : handler,
    ]),
  );
}
