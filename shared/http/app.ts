import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { isAliyunError } from '../aliyun/errors.ts';
import type { CloudFlowApi, Execution } from '../aliyun/cloudflow.ts';
import { FINISHED_STATUSES } from '../aliyun/cloudflow.ts';
import type { Clock } from '../clock.ts';
import { executionName, rerunName } from '../execution-name.ts';
import { PROVISION_FLOW } from '../flow-names.ts';
import type { Logger } from '../log.ts';
import { ProgressReader } from '../progress.ts';
import { parseLinkSpec } from '../spec.ts';
import { requireAuth, type AuthConfig, type ReplayGuard } from './auth.ts';
import { sendError } from './errors.ts';
import { openApiDocument } from './openapi.ts';

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
}

export const MAX_BODY_BYTES = 64 * 1024;
const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{1,64}$/;
const EXECUTION_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,127}$/;

const accepted = (e: Execution, joined: boolean) => ({ execution: e.Name, status: e.Status, statusUrl: `/v1/links/executions/${e.Name}`, joined });

export function apiApp(deps: ApiDeps): Hono {
  const app = new Hono();

  app.get('/healthz', (c) => c.json({ ok: true as const, service: 'zilliz-privatelink' }));
  app.use('*', requireAuth(deps.auth, deps.clock, deps.replays));

  app.get('/v1/openapi.json', (c) => c.json(openApiDocument()));

  app.post(
    '/v1/links',
    bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => sendError(c, 413, 'request.too_large', `the body is larger than ${MAX_BODY_BYTES} bytes`) }),
    async (c) => {
      if (!/^application\/json(;|$)/i.test(c.req.header('content-type') ?? '')) return sendError(c, 415, 'request.unsupported_media_type', 'send the link spec as Content-Type: application/json');
      const key = c.req.header('idempotency-key');
      if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) return sendError(c, 400, 'request.bad_idempotency_key', 'Idempotency-Key must be 1–64 letters, digits, _ . : or -');
      let body: unknown;
      try {
        body = JSON.parse(await c.req.text());
      } catch {
        return sendError(c, 400, 'request.malformed_json', 'the body is not valid JSON');
      }
      const parsed = parseLinkSpec(body);
      if (!parsed.ok) return sendError(c, 422, 'spec.invalid', 'the link spec is invalid', parsed.errors);
      const spec = parsed.spec;
      const name = executionName(spec, key);
      const existing = await deps.flows.describe(PROVISION_FLOW, name).catch((e: unknown) => {
        if (isAliyunError(e, 'ExecutionNotExists')) return undefined;
        throw e;
      });
      if (existing && !FINISHED_STATUSES.has(existing.Status)) return c.json(accepted(existing, true), 202);
      // A finished execution for the same key is the answer to a replayed request; for the same spec without a key, a re-run.
      if (existing && key) return c.json(accepted(existing, true), 200);
      const started = await deps.flows.start(PROVISION_FLOW, existing ? rerunName(name, deps.clock.now()) : name, { spec, source: 'api' });
      deps.log.info('api.started', { execution: started.Name, link: name });
      return c.json(accepted(started, false), 202);
    },
  );

  app.get('/v1/links/executions/:name', async (c) => {
    const name = c.req.param('name');
    if (!EXECUTION_NAME.test(name)) return sendError(c, 400, 'request.bad_execution_name', 'not an execution name');
    let execution: Execution;
    try {
      execution = await deps.flows.describe(PROVISION_FLOW, name);
    } catch (e) {
      if (isAliyunError(e, 'ExecutionNotExists')) return sendError(c, 404, 'execution.not_found', `no execution ${name}`);
      throw e;
    }
    const events = await deps.flows.history(PROVISION_FLOW, name);
    const reader = new ProgressReader();
    const steps = reader.read(events);
    const current = FINISHED_STATUSES.has(execution.Status) ? undefined : [...events].reverse().find((e) => e.Type === 'StepEntered')?.StepName;
    return c.json({
      execution: name,
      status: execution.Status,
      startedTime: execution.StartedTime,
      ...(execution.StoppedTime ? { stoppedTime: execution.StoppedTime } : {}),
      ...(current ? { currentStep: current } : {}),
      steps,
      ...(reader.report ? { report: reader.report } : {}),
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
