import { execFile } from 'node:child_process';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCallbackUrl } from '../shared/callback-url.ts';
import { DRIFT_FLOW } from '../shared/flow-names.ts';
import { canonicalQuery, signRequest } from '../shared/http/auth.ts';
import type { Stack } from '../local/stack.ts';
import { demoSpec, finishFlow, startTestStack } from './support/provision.ts';

/**
 * What callers of the HTTP API tripped on, against the local stack (FC's trigger event through
 * functions/api): the signature covers the query and a nonce, the bearer scheme in any case,
 * the size checked before a body is hashed, callback hosts with their ports, and a drift check
 * per request.
 */

let stack: Stack;
let api: string;
beforeAll(async () => {
  stack = await startTestStack();
  api = stack.file.edgeUrl;
});
afterAll(() => stack.stop());

/** The status, with the body read: an unread reply counts as work, and emulated time would wait for it. */
const statusOf = async (r: Promise<Response>) => {
  const res = await r;
  await res.arrayBuffer();
  return res.status;
};
const codeOf = async (r: Response) => ((await r.json()) as { error: { code: string } }).error.code;
const signed = (method: string, path: string, body?: string, nonce?: string) =>
  signRequest(stack.file.apiHmacSecret, { method, path, body, nonce });

describe('signed requests', () => {
  it('sign the query: a signature made for ?flow=drift does not pass for ?flow=teardown', async () => {
    const path = '/v1/links/executions/nothing-here';
    const headers = signed('GET', `${path}?flow=drift`);
    const swapped = await fetch(`${api}${path}?flow=teardown`, { headers });
    expect(swapped.status).toBe(401);
    expect(await codeOf(swapped)).toBe('auth.bad_signature');
    const honest = await fetch(`${api}${path}?flow=drift`, { headers: signed('GET', `${path}?flow=drift`) });
    expect(honest.status).toBe(404);
    expect(await codeOf(honest)).toBe('execution.not_found');
  });

  it('canonical query: pairs sorted, RFC 3986 encoded, the same however the caller ordered them', () => {
    expect(canonicalQuery('?b=2&a=x y&a=1')).toBe('a=1&a=x%20y&b=2');
    expect(canonicalQuery("?q=it's(*)")).toBe('q=it%27s%28%2A%29');
    expect(canonicalQuery('')).toBe('');
  });

  it('two identical requests in the same second both pass (their nonces differ); a nonce used twice is a replay', async () => {
    const path = '/v1/openapi.json';
    const now = Date.now();
    const first = signRequest(stack.file.apiHmacSecret, { method: 'GET', path, now });
    const second = signRequest(stack.file.apiHmacSecret, { method: 'GET', path, now });
    expect(first['x-zpl-timestamp']).toBe(second['x-zpl-timestamp']);
    expect(await statusOf(fetch(`${api}${path}`, { headers: first }))).toBe(200);
    expect(await statusOf(fetch(`${api}${path}`, { headers: second }))).toBe(200);
    const again = await fetch(`${api}${path}`, { headers: first });
    expect(again.status).toBe(401);
    expect(await codeOf(again)).toBe('auth.replayed');
  });

  it('refuse a request without a nonce, and the older v1 signature', async () => {
    const path = '/v1/openapi.json';
    const { 'x-zpl-nonce': _, ...noNonce } = signed('GET', path);
    const missing = await fetch(`${api}${path}`, { headers: noNonce });
    expect(missing.status).toBe(401);
    expect(await codeOf(missing)).toBe('auth.bad_nonce');
    const v1 = { ...signed('GET', path), 'x-zpl-signature': `v1=${'0'.repeat(64)}` };
    const old = await fetch(`${api}${path}`, { headers: v1 });
    expect(old.status).toBe(401);
    expect(await codeOf(old)).toBe('auth.bad_signature');
  });

  it('the documented curl script signs a query too', async () => {
    const env = { ...process.env, API: api, ZPL_API_HMAC_SECRET: stack.file.apiHmacSecret };
    const out = await new Promise<string>((resolve, reject) =>
      execFile('bash', ['examples/call-api.sh', 'GET', '/v1/links/executions/none?flow=drift'], { env }, (e, o, err) =>
        e ? reject(new Error(err)) : resolve(o),
      ),
    );
    expect(JSON.parse(out)).toMatchObject({ error: { code: 'execution.not_found' } });
  });
});

describe('bearer tokens', () => {
  it.each(['Bearer', 'bearer', 'BEARER', 'BeArEr'])('the scheme %s is the same scheme (RFC 9110 §11.1)', async (scheme) => {
    expect(await statusOf(fetch(`${api}/v1/openapi.json`, { headers: { authorization: `${scheme} ${stack.file.apiToken}` } }))).toBe(200);
  });
});

/** A POST whose body arrives in chunks, without Content-Length (so only counting can stop it). */
function chunkedPost(path: string, headers: Record<string, string>, bytes: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, api);
    const req = request(url, { method: 'POST', headers: { ...headers, 'transfer-encoding': 'chunked' } }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', (e) =>
      (e as NodeJS.ErrnoException).code === 'EPIPE' || (e as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(e),
    );
    const chunk = Buffer.alloc(16 * 1024, 0x61);
    for (let sent = 0; sent < bytes; sent += chunk.length) req.write(chunk);
    req.end();
  });
}

describe('the body limit comes before authentication', () => {
  it('an oversized body is a 413, signed or not, chunked or with a length: never read whole to check a signature', async () => {
    const big = 1024 * 1024;
    const forged = { 'content-type': 'application/json', ...signed('POST', '/v1/links', 'x') };
    const chunked = await chunkedPost('/v1/links', forged, big);
    expect(chunked.status).toBe(413);
    expect(JSON.parse(chunked.body)).toMatchObject({ error: { code: 'request.too_large' } });
    const anonymous = fetch(`${api}/v1/links`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(big) });
    expect(await statusOf(anonymous)).toBe(413);
  });
});

describe('callback allowlist entries name their port', () => {
  it('a bare host allows HTTPS on 443 only; host:port allows that port', () => {
    expect(checkCallbackUrl('https://tickets.example.com/hook', ['tickets.example.com']).ok).toBe(true);
    expect(checkCallbackUrl('https://tickets.example.com:443/hook', ['tickets.example.com']).ok).toBe(true);
    expect(checkCallbackUrl('https://tickets.example.com:8443/hook', ['tickets.example.com'])).toEqual({
      ok: false,
      reason:
        'callback host tickets.example.com:8443 is not on the allowlist (ZPL_CALLBACK_HOSTS): list it with its port, tickets.example.com:8443',
    });
    expect(checkCallbackUrl('https://tickets.example.com:8443/hook', ['tickets.example.com:8443']).ok).toBe(true);
    expect(checkCallbackUrl('https://tickets.example.com/hook', ['tickets.example.com:8443']).ok).toBe(false);
  });

  it('the API refuses a callback on another port of an allowed host', async () => {
    const edge = new URL(api);
    const otherPort = `http://${edge.hostname}:${Number(edge.port) === 65535 ? 65534 : Number(edge.port) + 1}/callbacks/T-1`;
    const r = await fetch(`${api}/v1/links`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.file.apiToken}`, 'x-zpl-callback-url': otherPort },
      body: JSON.stringify(demoSpec()),
    });
    expect(r.status).toBe(422);
    expect(await codeOf(r)).toBe('callback.refused');
  });
});

describe('POST /v1/drift-checks', () => {
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${api}/v1/drift-checks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.file.apiToken}`, ...headers },
      body: JSON.stringify(body),
    });
  type Accepted = { execution: string; joined: boolean; status: string };
  const inputOf = (name: string) => JSON.parse(stack.engine.engine.describeExecution(DRIFT_FLOW, name).input) as { remediate: boolean };

  it('each request is a run of its own; the same check in flight joins; remediate is honoured', async () => {
    // Discovery's first listing answers 5 s later, and the clock is held: the first run stays in flight.
    stack.emulators.faults.add({ target: 'ListVpcEndpoints', kind: 'latency', latencyMs: 5_000, count: 1 });
    const release = stack.emulators.clock.hold();
    const first = await post({ regions: ['cn-hangzhou'] });
    expect(first.status).toBe(202);
    const a = (await first.json()) as Accepted;
    expect(a.joined).toBe(false);
    const same = (await (await post({ regions: ['cn-hangzhou'] })).json()) as Accepted;
    expect(same).toMatchObject({ execution: a.execution, joined: true });
    const remediating = (await (await post({ regions: ['cn-hangzhou'], remediate: true })).json()) as Accepted;
    expect(remediating.execution).not.toBe(a.execution);
    expect(remediating.joined).toBe(false);
    expect(inputOf(remediating.execution).remediate).toBe(true);
    expect(inputOf(a.execution).remediate).toBe(false);

    expect(stack.engine.engine.describeExecution(DRIFT_FLOW, a.execution).status).toBe('Running');
    release();
    await finishFlow(stack, DRIFT_FLOW, a.execution);
    await finishFlow(stack, DRIFT_FLOW, remediating.execution);
    // The same minute, the same check again: a new run, not the finished one.
    const later = (await (await post({ regions: ['cn-hangzhou'] })).json()) as Accepted;
    expect(later.execution).not.toBe(a.execution);
    expect(later.joined).toBe(false);
    await finishFlow(stack, DRIFT_FLOW, later.execution);
  });

  it('an Idempotency-Key names one run, and refuses another check under the same key', async () => {
    const first = (await (await post({ remediate: true }, { 'idempotency-key': 'CHECK-1' })).json()) as Accepted;
    await finishFlow(stack, DRIFT_FLOW, first.execution);
    const replay = await post({ remediate: true }, { 'idempotency-key': 'CHECK-1' });
    expect(replay.status).toBe(200);
    expect(await replay.json()).toMatchObject({ execution: first.execution, joined: true });
    const other = await post({ remediate: false }, { 'idempotency-key': 'CHECK-1' });
    expect(other.status).toBe(409);
    expect(await codeOf(other)).toBe('request.key_reused');
  });
});
