import type { Context } from 'hono';
import { Hono } from 'hono/tiny';
import { bodyLimit } from 'hono/body-limit';
import { isAliyunError } from '../aliyun/errors.ts';
import type { CloudFlowApi } from '../aliyun/cloudflow.ts';
import type { Clock } from '../clock.ts';
import { DRIFT_FLOW, FOLLOW_FLOW, PROVISION_FLOW, TEARDOWN_FLOW } from '../flow-names.ts';
import type { AuthConfig } from '../http/auth.ts';
import { same } from '../http/auth.ts';
import { sendError } from '../http/errors.ts';
import { pageAssets } from './assets.ts';
import { loginPage, shellPage } from './html.ts';
import { LANGUAGE_COOKIE, pageLanguage } from './language.ts';
import { OverviewReader } from './overview.ts';
import { readRun, runRef } from './run-history.ts';
import { issueSession, SESSION_COOKIE, sessionCookie, validSession } from './session.ts';

/**
 * The status page under /page: read-only, behind a login with the API token that leaves a
 * signed session cookie (./session.ts). Served by the API function, loaded on the first request
 * to /page (shared/http/page-route.ts), so none of it weighs on the API's own start-up.
 */
export interface PageDeps {
  flows: CloudFlowApi;
  clock: Clock;
  auth: AuthConfig;
}

/** Only the origin's own files: no inline script or style, no other site, no framing. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
const FLOWS = new Set([PROVISION_FLOW, TEARDOWN_FLOW, DRIFT_FLOW, FOLLOW_FLOW]);
const EXECUTION_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,127}$/;

const cookie = (c: Context, name: string) =>
  (c.req.header('cookie') ?? '')
    .split(';')
    .map((p) => p.trim().split('='))
    .find(([k]) => k === name)?.[1];

/** HTTPS unless the proxy in front says otherwise (FC's trigger URL is HTTPS; the local edge says http). */
const overHttps = (c: Context) => (c.req.header('x-forwarded-proto') ?? new URL(c.req.url).protocol.replace(':', '')) === 'https';

export function pageApp(deps: PageDeps): Hono {
  const app = new Hono().basePath('/page');

  app.use('*', async (c, next) => {
    await next();
    c.header('content-security-policy', CONTENT_SECURITY_POLICY);
    c.header('x-content-type-options', 'nosniff');
    c.header('referrer-policy', 'no-referrer');
    c.header('x-frame-options', 'DENY');
    if (!c.res.headers.has('cache-control')) c.header('cache-control', 'no-store');
  });

  const language = (c: Context) => {
    const chosen = c.req.query('lang');
    const lang = pageLanguage({ query: chosen, cookie: cookie(c, LANGUAGE_COOKIE), acceptLanguage: c.req.header('accept-language') });
    if (chosen === lang)
      c.header('set-cookie', `${LANGUAGE_COOKIE}=${lang}; Path=/page; Max-Age=31536000; SameSite=Strict${overHttps(c) ? '; Secure' : ''}`, {
        append: true,
      });
    return lang;
  };

  app.get('/assets/*', async (c) => {
    const asset = (await pageAssets())[c.req.path.slice('/page/assets/'.length)];
    if (!asset) return sendError(c, 404, 'route.not_found', 'no such file');
    return c.body(asset.body, 200, { 'content-type': asset.type, 'cache-control': 'public, max-age=300' });
  });

  app.get('/login', (c) => c.html(loginPage(language(c))));

  app.post(
    '/login',
    bodyLimit({ maxSize: 4096, onError: (c) => sendError(c, 413, 'request.too_large', 'the form is larger than 4096 bytes') }),
    async (c) => {
      const lang = language(c);
      // A form posted from another site is refused (login CSRF); the browser always names the origin of a POST.
      const origin = c.req.header('origin');
      if (origin && origin !== 'null' && new URL(origin).host !== new URL(c.req.url).host)
        return sendError(c, 403, 'request.cross_origin', 'sign in from the page itself');
      if (!/^application\/x-www-form-urlencoded(;|$)/i.test(c.req.header('content-type') ?? ''))
        return sendError(c, 415, 'request.unsupported_media_type', 'post the login form');
      if (!deps.auth.bearerToken) return c.html(loginPage(lang, 'noToken'), 401);
      const token = new URLSearchParams(await c.req.text()).get('token') ?? '';
      if (!same(token, deps.auth.bearerToken)) return c.html(loginPage(lang, 'badToken'), 401);
      c.header('set-cookie', sessionCookie(issueSession(deps.auth.bearerToken, deps.clock.now()), overHttps(c)), { append: true });
      return c.redirect('/page', 303);
    },
  );

  app.post('/logout', (c) => {
    c.header('set-cookie', sessionCookie('', overHttps(c), 0), { append: true });
    return c.redirect('/page/login', 303);
  });

  // Everything below needs a session.
  app.use('*', async (c, next) => {
    const token = deps.auth.bearerToken;
    if (token && validSession(token, cookie(c, SESSION_COOKIE), deps.clock.now())) return next();
    if (c.req.path.startsWith('/page/data/')) return sendError(c, 401, 'auth.no_session', 'sign in at /page/login');
    return c.redirect('/page/login', 303);
  });

  app.get('/', (c) => c.html(shellPage(language(c))));

  app.get('/data/overview', async (c) => c.json(await new OverviewReader(deps.flows).read()));

  app.get('/data/executions/:flow/:name', async (c) => {
    const { flow, name } = c.req.param();
    if (!FLOWS.has(flow) || !EXECUTION_NAME.test(name)) return sendError(c, 400, 'request.bad_execution', 'no such flow or execution name');
    try {
      const execution = await deps.flows.describe(flow, name);
      return c.json(readRun(runRef(flow, execution), await deps.flows.history(flow, name)).view);
    } catch (e) {
      if (isAliyunError(e, 'ExecutionNotExists')) return sendError(c, 404, 'execution.not_found', `no execution ${name}`);
      throw e;
    }
  });

  app.notFound((c) => sendError(c, 404, 'route.not_found', `no route ${c.req.method} ${c.req.path}`));
  app.onError((e, c) => {
    if (isAliyunError(e)) return sendError(c, 502, 'service.unavailable', `CloudFlow answered ${e.code}`);
    return sendError(c, 500, 'internal', 'internal error');
  });
  return app;
}
