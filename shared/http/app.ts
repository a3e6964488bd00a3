import type { Context } from 'hono';
import { roleAllowed, unlistedRoleMessage } from '../role-allowlist.ts';
import { Hono } from 'hono/tiny';
import { bodyLimit } from 'hono/body-limit';
import { isAliyunError } from '../aliyun/errors.ts';
import type { CloudFlowApi, Execution } from '../aliyun/cloudflow.ts';
import { FINISHED_STATUSES } from '../aliyun/cloudflow.ts';
import { checkCallbackUrl } from '../callback-url.ts';
import type { Clock } from '../clock.ts';
import { SpecDiffersError } from '../link-joins.ts';
import { LinkBusyError, startLinkRun } from '../link-runs.ts';
import type { LinkSpec } from '../spec.ts';
import { ADOPT_FLOW, DOCTOR_FLOW, DRIFT_FLOW, PROVISION_FLOW, TEARDOWN_FLOW } from '../flow-names.ts';
import { doctorRunStatus, startDoctorRun } from '../doctor/runs.ts';
import { adoptRequest } from '../adopt/request.ts';
import { startAdoptRun } from '../adopt/run.ts';
import type { Logger } from '../log.ts';
import { ProgressReader } from '../progress.ts';
import { parseLinkSpec } from '../spec.ts';
import { driftAskPrefix, keyedDriftRunName, newDriftRunName, sameAsk, type DriftAsk } from '../drift/run-names.ts';
import { requireAuth, type AuthConfig, type ReplayGuard } from './auth.ts';
import { sendError } from './errors.ts';
import { pageRoute } from './page-route.ts';
import { driftRequest, teardownRequest } from './schemas.ts';

/**
 * The HTTP API: routes, input checks and auth as separate pieces over one CloudFlow client.
 * Bad input is answered with a 4xx before any cloud call; CloudFlow trouble is a 502/503.
 */
export interface ApiDeps {
  flows: CloudFlowApi;
  clock: Clock;
  auth: AuthConfig;
  log: Logger;
  replays?: ReplayGuard;
  /** Hosts `X-Zpl-Callback-Url` may name (ZPL_CALLBACK_HOSTS). */
  callbackHosts?: string[];
  /** Roles a spec's assumeRole or a drift check may name (ZPL_ASSUME_ROLES); absent, the steps alone decide. */
  assumeRoles?: string[];
}

export const MAX_BODY_BYTES = 64 * 1024;
const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{1,64}$/;
const EXECUTION_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,127}$/;

const FLOW_KINDS = [
  ['provision', PROVISION_FLOW],
  ['teardown', TEARDOWN_FLOW],
  ['drift', DRIFT_FLOW],
  ['adopt', ADOPT_FLOW],
] as const;

const accepted = (e: Execution, joined: boolean, follower?: string) => ({
  execution: e.Name,
  status: e.Status,
  statusUrl: `/v1/links/executions/${e.Name}`,
  joined,
  ...(follower ? { follower } : {}),
});

/** Where the API calls back when the run ends (optional): the header's URL, allowlisted as the ticket intake's. */
export const CALLBACK_HEADER = 'x-zpl-callback-url';

/** A body that does not have the route's shape: 422 with a field error per issue. */
function invalidRequest(
  c: Context,
  shape: string,
  issues: readonly { path: PropertyKey[]; code: string; message: string; keys?: string[] }[],
) {
  return sendError(
    c,
    422,
    'request.invalid',
    shape,
    issues.map((i) => ({
      field: i.path.map(String).join('.'),
      message: i.code === 'unrecognized_keys' ? `unknown field(s): ${(i.keys ?? []).join(', ')}` : i.message,
    })),
  );
}

/** A body whose `spec` is not a valid link spec: 422, each field under `spec.`. */
const invalidSpecIn = (c: Context, errors: { field: string; message: string }[]) =>
  sendError(
    c,
    422,
    'spec.invalid',
    'the link spec is invalid',
    errors.map((e) => ({ field: `spec.${e.field}`, message: e.message })),
  );

export function apiApp(deps: ApiDeps): Hono {
  const app = new Hono();

  app.get('/healthz', (c) => c.json({ ok: true as const, service: 'zilliz-privatelink' }));
  // The status page signs people in with a cookie of its own (shared/page/session.ts).
  const page = pageRoute(deps);
  app.all('/page', page);
  app.all('/page/*', page);
  // The size first: a signed request's body is hashed to check it, and no unauthenticated
  // caller may make the function read (and hash) more than MAX_BODY_BYTES.
  app.use(
    '*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => sendError(c, 413, 'request.too_large', `the body is larger than ${MAX_BODY_BYTES} bytes`),
    }),
  );
  app.use('*', requireAuth(deps.auth, deps.clock, deps.replays));

  // The document is a module of its own, loaded on the first read (cli/build.ts keeps it beside the bundle).
  app.get('/v1/openapi.json', async (c) => c.json((await import('./openapi.ts')).openApiDocument()));

  const statusUrl = (flow: string, name: string) => {
    const kind = FLOW_KINDS.find((k) => k[1] === flow)![0];
    return `/v1/links/executions/${name}${kind === 'provision' ? '' : `?flow=${kind}`}`;
  };

  /** One run per link: joins the running one, finds the one for a replayed key, else starts the next. */
  async function linkRun(
    c: Context,
    flow: typeof PROVISION_FLOW | typeof TEARDOWN_FLOW,
    spec: LinkSpec,
    input: Record<string, unknown>,
    key: string | undefined,
  ) {
    try {
      const run = await startLinkRun(deps.flows, flow, spec, { ...input, source: 'api' }, key && `api:${key}`);
      const { execution, joined } = run;
      if (!joined) deps.log.info('api.started', { flow, execution: execution.Name });
      if (run.follower) deps.log.info('api.joined', { flow, execution: execution.Name, follower: run.follower });
      const finishedReplay = joined && FINISHED_STATUSES.has(execution.Status);
      return c.json(
        { ...accepted(execution, joined, run.follower), statusUrl: statusUrl(flow, execution.Name) },
        finishedReplay ? 200 : 202,
      );
    } catch (e) {
      if (e instanceof LinkBusyError) return sendError(c, 409, 'link.busy', e.message);
      if (e instanceof SpecDiffersError) return sendError(c, 409, 'link.spec_differs', e.message, e.differences);
      throw e;
    }
  }

  /**
   * Starts a drift check, or joins one: the run an Idempotency-Key names (409 when the key was
   * used for another check), or a run still in flight of the same check (shared/drift/run-names.ts).
   */
  async function driftRun(c: Context, ask: DriftAsk, key: string | undefined) {
    const answer = (execution: Execution, joined: boolean) =>
      c.json(
        { ...accepted(execution, joined), statusUrl: statusUrl(DRIFT_FLOW, execution.Name) },
        joined && FINISHED_STATUSES.has(execution.Status) ? 200 : 202,
      );
    if (key) {
      const name = keyedDriftRunName(key);
      const existing = await deps.flows.describe(DRIFT_FLOW, name).catch((e: unknown) => {
        if (isAliyunError(e, 'ExecutionNotExists')) return undefined;
        throw e;
      });
      if (!existing) return answer(await deps.flows.start(DRIFT_FLOW, name, { ...ask, source: 'api' }), false);
      const asked = JSON.parse(existing.Input ?? '{}') as Partial<DriftAsk>;
      if (!sameAsk({ regions: asked.regions ?? [], remediate: asked.remediate === true, roles: asked.roles }, ask))
        return sendError(c, 409, 'request.key_reused', `Idempotency-Key ${key} was used for another drift check (${existing.Name})`);
      return answer(existing, true);
    }
    const inFlight = await deps.flows.list(DRIFT_FLOW, { status: 'Running', prefix: driftAskPrefix(ask) });
    if (inFlight[0]) return answer(inFlight[0], true);
    return answer(await deps.flows.start(DRIFT_FLOW, newDriftRunName(ask, deps.clock.now()), { ...ask, source: 'api' }), false);
  }

  /** The checks every POST shares: JSON content type, Idempotency-Key, a JSON body (its size is checked before auth). */
  async function jsonBody(c: Context): Promise<{ body: unknown; key?: string } | Response> {
    if (!/^application\/json(;|$)/i.test(c.req.header('content-type') ?? ''))
      return sendError(c, 415, 'request.unsupported_media_type', 'send JSON with Content-Type: application/json');
    const key = c.req.header('idempotency-key');
    if (key !== undefined && !IDEMPOTENCY_KEY.test(key))
      return sendError(c, 400, 'request.bad_idempotency_key', 'Idempotency-Key must be 1–64 letters, digits, _ . : or -');
    try {
      return { body: JSON.parse(await c.req.text()), key };
    } catch {
      return sendError(c, 400, 'request.malformed_json', 'the body is not valid JSON');
    }
  }

  /** A role the deployment does not list (ZPL_ASSUME_ROLES): refused before a run starts, as its steps would refuse it. */
  const unlistedRole = (c: Context, arns: (string | undefined)[]) => {
    const allowed = deps.assumeRoles;
    const arn = allowed && arns.find((a) => a !== undefined && !roleAllowed(allowed, a));
    return arn ? sendError(c, 403, 'role.not_allowed', unlistedRoleMessage(arn)) : undefined;
  };

  app.post('/v1/links', async (c) => {
    const read = await jsonBody(c);
    if (read instanceof Response) return read;
    const parsed = parseLinkSpec(read.body);
    if (!parsed.ok) return sendError(c, 422, 'spec.invalid', 'the link spec is invalid', parsed.errors);
    const refused = unlistedRole(c, [parsed.spec.assumeRole?.arn]);
    if (refused) return refused;
    const url = c.req.header(CALLBACK_HEADER);
    const callback = url === undefined ? undefined : checkCallbackUrl(url, deps.callbackHosts ?? []);
    if (callback && !callback.ok)
      return sendError(c, 422, 'callback.refused', callback.reason, [{ field: 'X-Zpl-Callback-Url', message: callback.reason }]);
    const input = { spec: parsed.spec, ...(callback ? { callback: { url: callback.url.toString() } } : {}) };
    return linkRun(c, PROVISION_FLOW, parsed.spec, input, read.key);
  });

  app.post('/v1/links/teardown', async (c) => {
    const read = await jsonBody(c);
    if (read instanceof Response) return read;
    const request = teardownRequest().safeParse(read.body);
    if (!request.success) return invalidRequest(c, 'the body must be {spec, clusters?}', request.error.issues);
    const parsed = parseLinkSpec(request.data.spec);
    if (!parsed.ok) return invalidSpecIn(c, parsed.errors);
    const refused = unlistedRole(c, [parsed.spec.assumeRole?.arn]);
    if (refused) return refused;
    const clusters = request.data.clusters;
    return linkRun(c, TEARDOWN_FLOW, parsed.spec, { spec: parsed.spec, ...(clusters ? { removeClusters: clusters } : {}) }, read.key);
  });

  app.post('/v1/links/adopt', async (c) => {
    const read = await jsonBody(c);
    if (read instanceof Response) return read;
    const request = adoptRequest().safeParse(read.body);
    if (!request.success)
      return invalidRequest(c, 'the body must be {spec, endpointId, securityGroupId?, zoneId?, confirm?}', request.error.issues);
    const { spec, ...adopt } = request.data;
    const parsed = parseLinkSpec(spec);
    if (!parsed.ok) return invalidSpecIn(c, parsed.errors);
    const refused = unlistedRole(c, [parsed.spec.assumeRole?.arn]);
    if (refused) return refused;
    try {
      const execution = await startAdoptRun(deps.flows, parsed.spec, adopt);
      deps.log.info('api.started', { flow: ADOPT_FLOW, execution: execution.Name });
      return c.json({ ...accepted(execution, false), statusUrl: statusUrl(ADOPT_FLOW, execution.Name) }, 202);
    } catch (e) {
      if (e instanceof LinkBusyError) return sendError(c, 409, 'link.busy', e.message);
      throw e;
    }
  });

  app.post('/v1/drift-checks', async (c) => {
    const read = await jsonBody(c);
    if (read instanceof Response) return read;
    const request = driftRequest().safeParse(read.body);
    if (!request.success) return invalidRequest(c, 'the body must be {regions?, remediate?, roles?}', request.error.issues);
    const { regions = [], remediate, roles } = request.data;
    const refused = unlistedRole(
      c,
      (roles ?? []).map((r) => r.arn),
    );
    if (refused) return refused;
    return driftRun(c, { regions, remediate, ...(roles?.length ? { roles } : {}) }, read.key);
  });

  // The doctor runs in a step function (flows/doctor.yaml): this role may only start and read flows.
  app.post('/v1/doctor', async (c) => {
    const read = await jsonBody(c);
    if (read instanceof Response) return read;
    const parsed = parseLinkSpec(read.body);
    if (!parsed.ok) return sendError(c, 422, 'spec.invalid', 'the link spec is invalid', parsed.errors);
    const execution = await startDoctorRun(deps.flows, parsed.spec, deps.clock.now());
    deps.log.info('api.started', { flow: DOCTOR_FLOW, execution: execution.Name });
    return c.json({ execution: execution.Name, status: execution.Status, statusUrl: `/v1/doctor/${execution.Name}` }, 202);
  });

  app.get('/v1/doctor/:name', async (c) => {
    const name = c.req.param('name');
    if (!EXECUTION_NAME.test(name)) return sendError(c, 400, 'request.bad_execution_name', 'not an execution name');
    try {
      return c.json(await doctorRunStatus(deps.flows, name));
    } catch (e) {
      if (isAliyunError(e, 'ExecutionNotExists')) return sendError(c, 404, 'execution.not_found', `no doctor run ${name}`);
      throw e;
    }
  });

  app.get('/v1/links/executions/:name', async (c) => {
    const name = c.req.param('name');
    if (!EXECUTION_NAME.test(name)) return sendError(c, 400, 'request.bad_execution_name', 'not an execution name');
    const kind = c.req.query('flow') ?? 'provision';
    const flow = FLOW_KINDS.find((k) => k[0] === kind)?.[1];
    if (!flow) return sendError(c, 400, 'request.bad_flow', 'flow must be provision, teardown, drift or adopt');
    let execution: Execution;
    try {
      execution = await deps.flows.describe(flow, name);
    } catch (e) {
      if (isAliyunError(e, 'ExecutionNotExists')) return sendError(c, 404, 'execution.not_found', `no execution ${name}`);
      throw e;
    }
    const events = await deps.flows.history(flow, name);
    const reader = new ProgressReader();
    const steps = reader.read(events);
    const current = FINISHED_STATUSES.has(execution.Status)
      ? undefined
      : [...events].reverse().find((e) => e.Type === 'StepEntered')?.StepName;
    return c.json({
      execution: name,
      status: execution.Status,
      startedTime: execution.StartedTime,
      ...(execution.StoppedTime ? { stoppedTime: execution.StoppedTime } : {}),
      ...(current ? { currentStep: current } : {}),
      steps,
      ...(reader.report ? { report: reader.report } : {}),
      ...(execution.Output && (flow === DRIFT_FLOW || flow === ADOPT_FLOW) ? { output: JSON.parse(execution.Output) } : {}),
    });
  });

  app.notFound((c) => sendError(c, 404, 'route.not_found', `no route ${c.req.method} ${new URL(c.req.url).pathname}`));
  app.onError((e, c) => {
    if (isAliyunError(e, 'FlowNotExists')) return sendError(c, 503, 'service.flow_missing', `the ${PROVISION_FLOW} flow is not deployed`);
    if (isAliyunError(e)) {
      deps.log.error('api.cloudflow_error', { code: e.code, requestId: e.requestId });
      return sendError(c, 502, 'service.unavailable', `CloudFlow answered ${e.code}`);
    }
    deps.log.error('api.bug', { message: e instanceof Error ? e.message : String(e) });
    return sendError(c, 500, 'internal', 'internal error');
  });
  return app;
}
