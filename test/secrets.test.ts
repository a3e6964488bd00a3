import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequest } from '../shared/http/auth.ts';
import { PROVISION_FLOW, TEARDOWN_FLOW, DRIFT_FLOW } from '../shared/flows.ts';
import { DEMO } from '../local/emulators/fixtures.ts';
import type { Stack } from '../local/stack.ts';
import { demoSpec, finish, finishFlow, startTestStack } from './support/provision.ts';

/**
 * Everything a run leaves behind — function logs, execution histories (every state's input and
 * output), API answers, published events, callbacks, CLI output — holds no secret: no access key
 * secret, API key, token, HMAC secret or signature.
 */

let stack: Stack;
const outputs: string[] = [];
const signatures: string[] = [];
beforeAll(async () => {
  stack = await startTestStack();
  const s = stack;
  const bearer = { authorization: `Bearer ${s.file.apiToken}`, 'content-type': 'application/json' };
  const post = async (path: string, body: unknown, headers: Record<string, string> = bearer) => {
    const r = await fetch(`${s.file.edgeUrl}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    const text = await r.text();
    outputs.push(text);
    return JSON.parse(text) as { execution: string };
  };
  // A provisioning through the API with a signed request, a failing one, events with a callback, a drift check, a teardown.
  const body = JSON.stringify(demoSpec());
  const signed = signRequest(s.file.apiHmacSecret, { method: 'POST', path: '/v1/links', body });
  signatures.push(signed['x-zpl-signature']!);
  const ok = (await (
    await fetch(`${s.file.edgeUrl}/v1/links`, { method: 'POST', headers: { ...signed, 'content-type': 'application/json' }, body })
  ).json()) as { execution: string };
  await finish(s, ok.execution);
  const [ev] = (await (
    await fetch(`${s.file.edgeUrl}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        id: 'e1',
        source: 't',
        type: 'zpl.link.requested',
        specversion: '1.0',
        data: { ticketId: 'SEC-1', spec: demoSpec({ clusters: [DEMO.secondClusterId] }), callbackUrl: `${s.file.edgeUrl}/callbacks/sec` },
      }),
    })
  ).json()) as { execution: string }[];
  await finish(s, ev!.execution);
  const bad = await post('/v1/links', demoSpec({ clusters: ['in01-00000000000000ff'] }));
  await finish(s, bad.execution).catch(() => undefined);
  const drift = await post('/v1/drift-checks', {});
  await finishFlow(s, DRIFT_FLOW, drift.execution);
  const down = await post('/v1/links/teardown', { spec: demoSpec() });
  await finishFlow(s, TEARDOWN_FLOW, down.execution);
  for (const name of [ok.execution, ev!.execution, bad.execution]) {
    // Asynchronously: the stack answering the CLI lives in this process.
    const cli = await new Promise<{ stdout: string; stderr: string }>((resolve) =>
      execFile(
        'node',
        ['bin/zpl.mjs', 'status', name, '--state-dir', s.path.replace(/\/stack\.json$/, ''), '--json'],
        (_e, stdout, stderr) => resolve({ stdout, stderr }),
      ),
    );
    outputs.push(cli.stdout, cli.stderr);
  }
  for (const flow of [PROVISION_FLOW, TEARDOWN_FLOW, DRIFT_FLOW])
    for (const e of s.engine.engine.listExecutions(flow))
      outputs.push(JSON.stringify(e), JSON.stringify(s.engine.engine.history(flow, e.name)));
  outputs.push(JSON.stringify(s.edge.published), JSON.stringify(s.edge.callbacks), JSON.stringify(s.emulators.calls.calls));
  if (existsSync(s.file.logFile)) outputs.push(readFileSync(s.file.logFile, 'utf8'));
}, 120_000);
afterAll(async () => {
  await stack.stop();
});

describe('secrets never leak', () => {
  it('the suite produced material to scan: logs, histories, answers, events, callbacks, CLI output', () => {
    const all = outputs.join('\n');
    expect(all.length).toBeGreaterThan(20_000);
    expect(all).toContain('"step":"EnsureDns"');
    expect(stack.edge.callbacks.length).toBeGreaterThan(0);
  });

  it.each([
    ['the Alibaba access key secret', () => DEMO.accessKeySecret],
    ['the Zilliz API key', () => stack.file.zillizApiKey],
    ['the API bearer token', () => stack.file.apiToken],
    ['the API HMAC secret', () => stack.file.apiHmacSecret],
    ['the callback signing secret', () => stack.file.callbackSecret],
    ['a request signature', () => signatures[0]!.slice(3)],
  ])('%s appears nowhere', (_what, secret) => {
    const value = secret();
    expect(value.length).toBeGreaterThan(8);
    for (const text of outputs) expect(text.includes(value)).toBe(false);
  });
});
