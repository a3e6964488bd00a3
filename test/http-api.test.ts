import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequest } from '../shared/http/auth.ts';
import { PROVISION_FLOW } from '../shared/flows.ts';
import { DEMO } from '../local/emulators/fixtures.ts';
import type { Stack } from '../local/stack.ts';
import { demoSpec, finish, startTestStack } from './support/provision.ts';
import { linkSteps } from '../shared/steps/index.ts';

/**
 * The HTTP API as FC's HTTP trigger serves it (the local stack calls `functions/api` with FC's
 * trigger event): auth, routes, idempotency, and a corpus of bad requests that must each get a
 * 4xx with no cloud call and no execution started.
 */

let stack: Stack;
let api: string;
let token: string;
beforeAll(async () => {
  stack = await startTestStack();
  api = stack.file.edgeUrl;
  token = stack.file.apiToken;
});
afterAll(async () => {
  await stack.stop();
});

const bearer = () => ({ authorization: `Bearer ${token}` });
const json = (body: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...bearer(), ...headers },
  body: JSON.stringify(body),
});
const executions = () => stack.engine.engine.listExecutions(PROVISION_FLOW).length;
const cloudCalls = () => stack.emulators.calls.calls.length;

describe('the HTTP API', () => {
  it('/healthz answers without credentials', async () => {
    const r = await fetch(`${api}/healthz`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ ok: true, service: 'zilliz-privatelink' });
  });

  it('POST /v1/links starts the provision flow (202), the status URL follows it to the report', async () => {
    const r = await fetch(`${api}/v1/links`, json(demoSpec()));
    expect(r.status).toBe(202);
    const body = (await r.json()) as { execution: string; status: string; statusUrl: string; joined: boolean };
    expect(body).toMatchObject({
      execution: expect.stringMatching(/^zpl-[0-9a-f]{12}-p\d{4}$/),
      statusUrl: `/v1/links/executions/${body.execution}`,
      joined: false,
    });

    const again = (await (await fetch(`${api}/v1/links`, json(demoSpec()))).json()) as { execution: string; joined: boolean };
    expect(again).toMatchObject({ execution: body.execution, joined: true });

    const running = (await (await fetch(`${api}${body.statusUrl}`, { headers: bearer() })).json()) as {
      status: string;
      currentStep?: string;
    };
    expect(['Starting', 'Running']).toContain(running.status);

    await finish(stack, body.execution);
    const done = (await (await fetch(`${api}${body.statusUrl}`, { headers: bearer() })).json()) as {
      status: string;
      steps: { step: string; status: string; elapsedMs: number }[];
      report: { ok: boolean; endpoint: { id: string } };
      currentStep?: string;
    };
    expect(done.status).toBe('Succeeded');
    expect(done.currentStep).toBeUndefined();
    expect(done.report.ok).toBe(true);
    expect(done.steps.filter((s) => s.status === 'done').map((s) => s.step)).toEqual(linkSteps('provision').map((s) => s.state));
    // Finished, same spec, no key: a deliberate re-run, the link's next run.
    const rerun = (await (await fetch(`${api}/v1/links`, json(demoSpec()))).json()) as { execution: string; joined: boolean };
    expect(rerun.execution).not.toBe(body.execution);
    expect(rerun.execution.slice(0, 18)).toBe(body.execution.slice(0, 18));
    expect(rerun.joined).toBe(false);
    await finish(stack, rerun.execution);
  });

  it('an Idempotency-Key finds its run: the same key joins while running and replays once finished', async () => {
    const spec = demoSpec({ clusters: [DEMO.clusterId, DEMO.secondClusterId] });
    const first = await fetch(`${api}/v1/links`, json(spec, { 'idempotency-key': 'TICKET-7' }));
    expect(first.status).toBe(202);
    const { execution } = (await first.json()) as { execution: string };
    expect(execution).toMatch(/^zpl-[0-9a-f]{12}-p\d{4}$/);
    const dup = (await (await fetch(`${api}/v1/links`, json(spec, { 'idempotency-key': 'TICKET-7' }))).json()) as {
      execution: string;
      joined: boolean;
    };
    expect(dup).toMatchObject({ execution, joined: true });
    await finish(stack, execution);
    const replay = await fetch(`${api}/v1/links`, json(spec, { 'idempotency-key': 'TICKET-7' }));
    expect(replay.status).toBe(200);
    expect(await replay.json()).toMatchObject({ execution, status: 'Succeeded', joined: true });
  });

  it('tear down through the API: one cluster, then the whole link; a drift check', async () => {
    const spec = demoSpec({ clusters: [DEMO.clusterId, DEMO.secondClusterId], tags: { via: 'teardown' } });
    const made = (await (await fetch(`${api}/v1/links`, json(spec))).json()) as { execution: string };
    await finish(stack, made.execution);
    const one = await fetch(`${api}/v1/links/teardown`, json({ spec, clusters: [DEMO.secondClusterId] }));
    expect(one.status).toBe(202);
    const oneBody = (await one.json()) as { execution: string; statusUrl: string };
    expect(oneBody.statusUrl).toBe(`/v1/links/executions/${oneBody.execution}?flow=teardown`);
    expect((await finish(stack, oneBody.execution, 'zpl-teardown')).rec.status).toBe('Succeeded');
    const status = (await (await fetch(`${api}${oneBody.statusUrl}`, { headers: bearer() })).json()) as {
      status: string;
      report: { changes: { action: string; resource: string }[] };
    };
    expect(status.status).toBe('Succeeded');
    expect(status.report.changes.filter((c) => c.action === 'deleted').map((c) => c.resource)).toEqual(['record']);

    const drift = await fetch(`${api}/v1/drift-checks`, json({ regions: ['cn-hangzhou'] }));
    expect(drift.status).toBe(202);
    const driftBody = (await drift.json()) as { execution: string; statusUrl: string };
    const { finishFlow } = await import('./support/provision.ts');
    expect((await finishFlow(stack, 'zpl-drift', driftBody.execution)).status).toBe('Succeeded');
    const driftStatus = (await (await fetch(`${api}${driftBody.statusUrl}`, { headers: bearer() })).json()) as {
      output: { report: { checked: number } };
    };
    expect(driftStatus.output.report.checked).toBeGreaterThan(0);
  });

  it('signed requests: accepted once, refused when replayed, expired or altered', async () => {
    const secret = stack.file.apiHmacSecret;
    const path = '/v1/openapi.json';
    const headers = signRequest(secret, { method: 'GET', path });
    expect((await fetch(`${api}${path}`, { headers })).status).toBe(200);
    const replayed = await fetch(`${api}${path}`, { headers });
    expect(replayed.status).toBe(401);
    expect(((await replayed.json()) as { error: { code: string } }).error.code).toBe('auth.replayed');

    const body = JSON.stringify(demoSpec({ clusters: [DEMO.secondClusterId] }));
    const signed = signRequest(secret, { method: 'POST', path: '/v1/links', body });
    const ok = await fetch(`${api}/v1/links`, { method: 'POST', headers: { ...signed, 'content-type': 'application/json' }, body });
    expect(ok.status).toBe(202);
    await finish(stack, ((await ok.json()) as { execution: string }).execution);
  });

  it('the documented curl script (examples/call-api.sh) signs requests the API accepts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zpl-curl-'));
    const file = join(dir, 'link.json');
    writeFileSync(file, JSON.stringify(demoSpec({ clusters: [DEMO.secondClusterId], tags: { via: 'curl' } })));
    const env = { ...process.env, API: api, ZPL_API_HMAC_SECRET: stack.file.apiHmacSecret };
    const run = (...args: string[]) =>
      new Promise<string>((resolve, reject) =>
        execFile('bash', ['examples/call-api.sh', ...args], { env }, (e, out, err) => (e ? reject(new Error(err)) : resolve(out))),
      );
    const started = JSON.parse(await run('POST', '/v1/links', file)) as { execution: string; statusUrl: string };
    expect(started.execution).toMatch(/^zpl-[0-9a-f]{12}-p\d{4}$/);
    const status = JSON.parse(await run('GET', started.statusUrl)) as { execution: string; status: string };
    expect(status.execution).toBe(started.execution);
    await finish(stack, started.execution);
  });

  it('GET /v1/openapi.json is generated from the schemas', async () => {
    const doc = (await (await fetch(`${api}/v1/openapi.json`, { headers: bearer() })).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
      components: unknown;
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/healthz',
      '/v1/doctor',
      '/v1/doctor/{name}',
      '/v1/drift-checks',
      '/v1/links',
      '/v1/links/adopt',
      '/v1/links/executions/{name}',
      '/v1/links/teardown',
      '/v1/openapi.json',
    ]);
    const requestSchema = (
      doc.paths['/v1/links'] as {
        post: {
          requestBody: {
            content: {
              'application/json': { schema: { properties: Record<string, unknown>; required: string[]; additionalProperties: boolean } };
            };
          };
        };
      }
    ).post.requestBody.content['application/json'].schema;
    expect(requestSchema.required.sort()).toEqual(['accountId', 'clusters', 'projectId', 'region', 'vpcId', 'zones']);
    expect(requestSchema.additionalProperties).toBe(false);
  });
});

// ── the corpus of bad requests ─────────────────────────────────────────────────────────────
type Bad = { name: string; init: () => RequestInit & { path?: string }; status: number; code: string | RegExp };

const spec = demoSpec();
const withSpec = (over: Record<string, unknown>, code: string | RegExp = 'spec.invalid'): Omit<Bad, 'name'> => ({
  init: () => json({ ...spec, ...over }),
  status: 422,
  code,
});
const without = (field: string): Omit<Bad, 'name'> => {
  const { [field]: _, ...rest } = spec as Record<string, unknown>;
  return { init: () => json(rest), status: 422, code: 'spec.invalid' };
};
const raw = (body: string, contentType = 'application/json'): Omit<Bad, 'name'> => ({
  init: () => ({ method: 'POST', headers: { 'content-type': contentType, ...bearer() }, body }),
  status: 400,
  code: 'request.malformed_json',
});
const typed = (contentType: string | undefined): Omit<Bad, 'name'> => ({
  init: () => ({
    method: 'POST',
    headers: { ...(contentType ? { 'content-type': contentType } : {}), ...bearer() },
    body: JSON.stringify(spec),
  }),
  status: 415,
  code: 'request.unsupported_media_type',
});
const keyed = (key: string): Omit<Bad, 'name'> => ({
  init: () => json(spec, { 'idempotency-key': key }),
  status: 400,
  code: 'request.bad_idempotency_key',
});
const called = (url: string): Omit<Bad, 'name'> => ({
  init: () => json(spec, { 'x-zpl-callback-url': url }),
  status: 422,
  code: 'callback.refused',
});
const getExec = (name: string, status = 400, code: string | RegExp = 'request.bad_execution_name'): Omit<Bad, 'name'> => ({
  init: () => ({ method: 'GET', headers: bearer(), path: `/v1/links/executions/${name}` }),
  status,
  code,
});
const route = (method: string, path: string): Omit<Bad, 'name'> => ({
  init: () => ({
    method,
    headers: { ...bearer(), 'content-type': 'application/json' },
    path,
    ...(method === 'GET' || method === 'HEAD' ? {} : { body: '{}' }),
  }),
  status: 404,
  code: 'route.not_found',
});
const authed = (headers: () => Record<string, string>, code: string, path = '/v1/links'): Omit<Bad, 'name'> => ({
  init: () => ({ method: 'POST', headers: { 'content-type': 'application/json', ...headers() }, body: JSON.stringify(spec), path }),
  status: 401,
  code,
});

const corpus: Record<string, Omit<Bad, 'name'>> = {
  // the spec: required fields
  'no projectId': without('projectId'),
  'no region': without('region'),
  'no accountId': without('accountId'),
  'no vpcId': without('vpcId'),
  'no clusters': without('clusters'),
  'no zones': without('zones'),
  // the spec: wrong types
  'projectId a number': withSpec({ projectId: 12 }),
  'accountId a number': withSpec({ accountId: 1234567890123456 }),
  'region a number': withSpec({ region: 1 }),
  'vpcId null': withSpec({ vpcId: null }),
  'clusters a string': withSpec({ clusters: 'in01-0123456789abcdef' }),
  'zones an object': withSpec({ zones: { zoneId: 'cn-hangzhou-h' } }),
  'zones of strings': withSpec({ zones: ['cn-hangzhou-h'] }),
  'port a string': withSpec({ port: '19530' }),
  'icmp a string': withSpec({ icmp: 'yes' }),
  'tags a list': withSpec({ tags: ['a'] }),
  'allowedCidrs a string': withSpec({ allowedCidrs: '10.0.0.0/8' }),
  'deadlines a number': withSpec({ deadlines: 60 }),
  // the spec: bad values
  'projectId malformed': withSpec({ projectId: 'project-1' }),
  'projectId empty': withSpec({ projectId: '' }),
  'region unknown': withSpec({ region: 'us-east-1' }),
  'region without private link': withSpec({ region: 'cn-qingdao' }),
  'accountId with letters': withSpec({ accountId: '12345abc' }),
  'accountId too short': withSpec({ accountId: '123' }),
  'vpcId malformed': withSpec({ vpcId: 'vpc_123' }),
  'cluster malformed': withSpec({ clusters: ['in01-xyz'] }),
  'serverless cluster': withSpec({ clusters: ['in03-0123456789abcdef'] }),
  'free cluster': withSpec({ clusters: ['in05-0123456789abcdef'] }),
  'duplicate clusters': withSpec({ clusters: [DEMO.clusterId, DEMO.clusterId] }),
  'no cluster at all': withSpec({ clusters: [] }),
  'no zone at all': withSpec({ zones: [] }),
  'eleven zones': withSpec({ zones: Array.from({ length: 11 }, (_, i) => ({ zoneId: `cn-hangzhou-${'abcdefghijk'[i]}` })) }),
  'zone of another region': withSpec({ zones: [{ zoneId: 'cn-beijing-g' }] }),
  'zone listed twice': withSpec({ zones: [{ zoneId: 'cn-hangzhou-h' }, { zoneId: 'cn-hangzhou-h' }] }),
  'zone ID malformed': withSpec({ zones: [{ zoneId: 'hangzhou' }] }),
  'zone with unknown field': withSpec({ zones: [{ zoneId: 'cn-hangzhou-h', subnet: 'x' }] }),
  'vSwitch malformed': withSpec({ zones: [{ zoneId: 'cn-hangzhou-h', vSwitchId: 'switch' }] }),
  'security group malformed': withSpec({ securityGroupId: 'group-1' }),
  'CIDR malformed': withSpec({ allowedCidrs: ['10.0.0.0'] }),
  'CIDR list empty': withSpec({ allowedCidrs: [] }),
  'CIDR octet out of range': withSpec({ allowedCidrs: ['10.0.0.300/8'] }),
  'port zero': withSpec({ port: 0 }),
  'port too high': withSpec({ port: 70000 }),
  'port fractional': withSpec({ port: 19530.5 }),
  'dnsLayout unknown': withSpec({ dnsLayout: 'flat' }),
  'endpointName starting with a digit': withSpec({ endpointName: '1endpoint' }),
  'reserved tag key zpl:': withSpec({ tags: { 'zpl:link': 'x' } }),
  'reserved tag key aliyun': withSpec({ tags: { aliyunTeam: 'x' } }),
  'eleven tags': withSpec({ tags: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, 'v'])) }),
  'deadline zero': withSpec({ deadlines: { serviceVisibleSeconds: 0 } }),
  'deadline unknown field': withSpec({ deadlines: { forever: 1 } }),
  // the spec: unknown fields
  'unknown top-level field': withSpec({ clusterId: 'in01-0123456789abcdef' }),
  'misspelled field': withSpec({ vpcID: 'vpc-bp1demo0000000000001' }),
  'prototype pollution attempt': {
    init: () => ({
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer() },
      body: JSON.stringify(spec).replace(/^\{/, '{"__proto__":{"admin":true},'),
    }),
    status: 422,
    code: 'spec.invalid',
  },
  // JSON
  'JSON array': { init: () => json([spec]), status: 422, code: 'spec.invalid' },
  'JSON null': { init: () => json(null), status: 422, code: 'spec.invalid' },
  'JSON string': { init: () => json('spec'), status: 422, code: 'spec.invalid' },
  'JSON number': { init: () => json(42), status: 422, code: 'spec.invalid' },
  'empty body': raw(''),
  'truncated JSON': raw('{"projectId": "proj-4a1b2c3d4e5f6a7b8c9d"'),
  'trailing comma': raw('{"a": 1,}'),
  'single quotes': raw("{'a': 1}"),
  'NaN literal': raw('{"port": NaN}'),
  'YAML instead of JSON': raw('projectId: proj-4a1b2c3d4e5f6a7b8c9d\nregion: cn-hangzhou\n'),
  'two JSON documents': raw('{}{}'),
  'binary garbage': raw('\u0000\u0001\u0002'),
  // content type and size
  'no content type': typed(undefined),
  'text/plain': typed('text/plain'),
  'application/xml': typed('application/xml'),
  'form encoded': typed('application/x-www-form-urlencoded'),
  'jsonp lookalike': typed('application/jsonp'),
  multipart: typed('multipart/form-data; boundary=x'),
  'body over 64 KiB': { init: () => json({ ...spec, tags: { big: 'x'.repeat(70 * 1024) } }), status: 413, code: 'request.too_large' },
  'body of 1 MiB': {
    init: () => ({ method: 'POST', headers: { 'content-type': 'application/json', ...bearer() }, body: `"${'x'.repeat(1024 * 1024)}"` }),
    status: 413,
    code: 'request.too_large',
  },
  // Idempotency-Key
  'key too long': keyed('k'.repeat(65)),
  'key with spaces': keyed('ticket 42'),
  'key with slash': keyed('a/b'),
  'key with quotes': keyed('"quoted"'),
  'key empty': keyed(''),
  // X-Zpl-Callback-Url
  'callback to a host not on the allowlist': called('https://tickets.example.net/cb'),
  'callback over plain HTTP to a public host': called('http://tickets.example.com/cb'),
  'callback not a URL': called('tickets'),
  // execution names
  'execution name starting with a digit': getExec('1abc'),
  'execution name with a dot': getExec('a.b'),
  'execution name too long': getExec('a'.repeat(129)),
  'execution name with a space': getExec('a%20b'),
  'execution name with a semicolon': getExec('a%3Bb'),
  'execution that does not exist': getExec('never-started', 404, 'execution.not_found'),
  // routes
  'GET /v1/links': route('GET', '/v1/links'),
  'DELETE /v1/links': route('DELETE', '/v1/links'),
  'PUT /v1/links': route('PUT', '/v1/links'),
  'POST /v2/links': route('POST', '/v2/links'),
  'POST to an execution': route('POST', '/v1/links/executions/abc'),
  'GET /': route('GET', '/'),
  'GET /v1/links/teardown': route('GET', '/v1/links/teardown'),
  'GET /v1/drift-checks': route('GET', '/v1/drift-checks'),
  // teardown and drift-check bodies
  'teardown without spec fields': {
    init: () => ({ ...json({ spec: { region: 'cn-hangzhou' } }), path: '/v1/links/teardown' }),
    status: 422,
    code: 'spec.invalid',
  },
  'teardown with an unknown field': {
    init: () => ({ ...json({ spec, force: true }), path: '/v1/links/teardown' }),
    status: 422,
    code: 'request.invalid',
  },
  'teardown of a malformed cluster': {
    init: () => ({ ...json({ spec, clusters: ['cluster-1'] }), path: '/v1/links/teardown' }),
    status: 422,
    code: 'request.invalid',
  },
  'teardown of no clusters': {
    init: () => ({ ...json({ spec, clusters: [] }), path: '/v1/links/teardown' }),
    status: 422,
    code: 'request.invalid',
  },
  'teardown as text': {
    init: () => ({ method: 'POST', headers: { 'content-type': 'text/plain', ...bearer() }, body: '{}', path: '/v1/links/teardown' }),
    status: 415,
    code: 'request.unsupported_media_type',
  },
  // Was us-east-1, which Zilliz now serves on Alibaba Cloud (zdoc_cn setup-a-private-link-alicloud).
  'drift check of an unknown region': {
    init: () => ({ ...json({ regions: ['eu-central-1'] }), path: '/v1/drift-checks' }),
    status: 422,
    code: 'request.invalid',
  },
  'drift check with remediate as text': {
    init: () => ({ ...json({ remediate: 'yes' }), path: '/v1/drift-checks' }),
    status: 422,
    code: 'request.invalid',
  },
  'drift check with an unknown field': {
    init: () => ({ ...json({ all: true }), path: '/v1/drift-checks' }),
    status: 422,
    code: 'request.invalid',
  },
  'drift check with malformed JSON': {
    init: () => ({ method: 'POST', headers: { 'content-type': 'application/json', ...bearer() }, body: '{', path: '/v1/drift-checks' }),
    status: 400,
    code: 'request.malformed_json',
  },
  'status of an unknown flow kind': {
    init: () => ({ method: 'GET', headers: bearer(), path: '/v1/links/executions/abc?flow=other' }),
    status: 400,
    code: 'request.bad_flow',
  },
  // authentication
  'no credentials': authed(() => ({}), 'auth.missing'),
  'wrong bearer token': authed(() => ({ authorization: 'Bearer not-the-token' }), 'auth.bad_token'),
  'bearer token with a suffix': authed(() => ({ authorization: `Bearer ${token}x` }), 'auth.bad_token'),
  'basic auth': authed(() => ({ authorization: `Basic ${Buffer.from(`user:${token}`).toString('base64')}` }), 'auth.missing'),
  'signature without timestamp': authed(() => ({ 'x-zpl-signature': 'v1=00' }), 'auth.bad_timestamp'),
  'signature with a text timestamp': authed(() => ({ 'x-zpl-signature': 'v1=00', 'x-zpl-timestamp': 'yesterday' }), 'auth.bad_timestamp'),
  'signature from 10 minutes ago': authed(
    () =>
      signRequest(stack.file.apiHmacSecret, { method: 'POST', path: '/v1/links', body: JSON.stringify(spec), now: Date.now() - 600_000 }),
    'auth.expired',
  ),
  'signature from 10 minutes ahead': authed(
    () =>
      signRequest(stack.file.apiHmacSecret, { method: 'POST', path: '/v1/links', body: JSON.stringify(spec), now: Date.now() + 600_000 }),
    'auth.expired',
  ),
  'signature with the wrong secret': authed(
    () => signRequest('not-the-secret', { method: 'POST', path: '/v1/links', body: JSON.stringify(spec) }),
    'auth.bad_signature',
  ),
  'signature over another body': authed(
    () => signRequest(stack.file.apiHmacSecret, { method: 'POST', path: '/v1/links', body: '{}' }),
    'auth.bad_signature',
  ),
  'signature over another path': authed(
    () => signRequest(stack.file.apiHmacSecret, { method: 'POST', path: '/v1/other', body: JSON.stringify(spec) }),
    'auth.bad_signature',
  ),
  'signature over another method': authed(
    () => signRequest(stack.file.apiHmacSecret, { method: 'PUT', path: '/v1/links', body: JSON.stringify(spec) }),
    'auth.bad_signature',
  ),
  'unauthenticated status read': {
    init: () => ({ method: 'GET', path: '/v1/links/executions/anything' }),
    status: 401,
    code: 'auth.missing',
  },
  'unauthenticated OpenAPI read': { init: () => ({ method: 'GET', path: '/v1/openapi.json' }), status: 401, code: 'auth.missing' },
};

describe('bad requests', () => {
  const cases = Object.entries(corpus).map(([name, c]) => ({ name, ...c }));
  it(`the corpus holds ${cases.length} bad requests`, () => {
    expect(cases.length).toBeGreaterThanOrEqual(90);
  });

  it.each(cases)('$name → $status $code, nothing started, no cloud call', async (c) => {
    const before = { executions: executions(), calls: cloudCalls() };
    const { path = '/v1/links', ...init } = c.init();
    const r = await fetch(`${api}${path}`, init);
    expect(r.status).toBe(c.status);
    const body = (await r.json()) as { error: { code: string; message: string; fields?: { field: string }[] } };
    expect(body.error.code).toMatch(typeof c.code === 'string' ? new RegExp(`^${c.code.replace('.', '\\.')}$`) : c.code);
    expect(body.error.message).not.toContain(stack.file.apiHmacSecret);
    expect(body.error.message).not.toContain(token);
    if (c.code === 'spec.invalid') expect(body.error.fields?.length).toBeGreaterThan(0);
    expect({ executions: executions(), calls: cloudCalls() }).toEqual(before);
  });
});
