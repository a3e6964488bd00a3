import type { Context } from 'hono';
import type { PageDeps } from '../page/app.ts';

/**
 * /page, the status page: its code and files load on the first request for it, from a module
 * `npm run build` keeps beside the API's bundle (cli/build.ts), so the API bundle stays small
 * and a cold API call never loads them.
 */
export function pageRoute(deps: PageDeps) {
  let page: Promise<{ fetch(request: Request): Response | Promise<Response> }> | undefined;
  return async (c: Context) => {
    page ??= import('../page/app.ts').then((m) => m.pageApp(deps));
    return (await page).fetch(c.req.raw);
  };
}
