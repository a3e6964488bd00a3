import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readStackFile, startStack, type Stack } from '../local/stack.ts';

const ZPL = ['bin/zpl.mjs'];

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

const post = (url: string, body: unknown) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('local stack and admin API', () => {
  it('writes its addresses to the stack file, on loopback only, and removes it on stop', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zpl-'));
    stack = await startStack({ stateDir: dir });
    const file = readStackFile(dir);
    for (const url of [file.alibabaUrl, file.zillizUrl, file.adminUrl]) expect(new URL(url).hostname).toBe('127.0.0.1');
    await stack.stop();
    stack = undefined;
    expect(existsSync(join(dir, 'stack.json'))).toBe(false);
    expect(() => readStackFile(dir)).toThrow(/zpl up/);
  });

  it('seeds, dumps state, moves the clock, lists calls and injects faults over HTTP', async () => {
    stack = await startStack({ stateDir: mkdtempSync(join(tmpdir(), 'zpl-')) });
    const admin = stack.file.adminUrl;
    expect((await post(`${admin}/seed`, { accounts: [{ accountId: '99', accessKeys: [] }] })).status).toBe(400);
    expect((await post(`${admin}/seed`, { zilliz: { projects: [{ projectId: 'proj-abcdef0123', clusters: [] }] } })).status).toBe(200);
    const state = (await (await fetch(`${admin}/state`)).json()) as { zilliz: { projects: string[] }; vpcs: unknown[] };
    expect(state.zilliz.projects).toContain('proj-abcdef0123');
    expect(state.vpcs).toHaveLength(1);

    const before = ((await (await fetch(`${admin}/clock`)).json()) as { now: number }).now;
    const after = ((await (await post(`${admin}/clock/advance`, { ms: 120_000 })).json()) as { now: number }).now;
    expect(after - before).toBe(120_000);
    expect((await post(`${admin}/clock/advance`, { ms: -1 })).status).toBe(400);

    expect(
      (await post(`${admin}/faults`, { target: 'describeCluster', kind: 'error', code: '503', httpStatus: 503, count: 1 })).status,
    ).toBe(200);
    const r = await fetch(`${stack.file.zillizUrl}/v2/clusters/in01-0123456789abcdef`, {
      headers: { authorization: `Bearer ${stack.file.zillizApiKey}` },
    });
    expect(r.status).toBe(503);
    expect(r.headers.get('requestid')).toBeTruthy();
    const calls = (await (await fetch(`${admin}/calls`)).json()) as { calls: { action: string; fault?: string }[] };
    expect(calls.calls.map((c) => [c.action, c.fault])).toEqual([['describeCluster', '503']]);
    expect((await post(`${admin}/faults`, { target: 'x', kind: 'explode' })).status).toBe(400);
    expect((await post(`${admin}/timings`, { endpointActiveMs: 5 })).status).toBe(200);
    expect(stack.emulators.world.timings.endpointActiveMs).toBe(5);
  });
});

describe('zpl CLI (as a user runs it)', () => {
  it('check: a valid spec exits 0 and names the private-link host', () => {
    const r = spawnSync('node', [...ZPL, 'check', '-f', 'examples/link.yaml'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('in01-0123456789abcdef-privatelink.ali-cn-hangzhou.vectordb.zilliz.com.cn');
  });

  it('check: a bad spec exits 2 and lists every field error, with no stack trace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zpl-'));
    const path = join(dir, 'bad.yaml');
    spawnSync('sh', ['-c', `printf 'region: cn-hangzhou\\nclusters: [oops]\\nzones: [{zoneId: cn-beijing-g}]\\n' > ${path}`]);
    const r = spawnSync('node', [...ZPL, 'check', '-f', path, '--json'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    const out = JSON.parse(r.stdout) as { ok: boolean; errors: { field: string }[] };
    expect(out.errors.map((e) => e.field).sort()).toEqual(['accountId', 'clusters.0', 'projectId', 'vpcId', 'zones.0.zoneId']);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  it('up: starts the stack in the foreground, writes the stack file, and cleans up on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zpl-'));
    const child = spawn('node', [...ZPL, 'up', '--state-dir', dir, '--pace', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`zpl up did not start: ${out}`)), 120_000);
      child.stdout.on('data', () => out.includes('Stop with Ctrl-C') && (clearTimeout(t), resolve()));
    });
    const file = JSON.parse(readFileSync(join(dir, 'stack.json'), 'utf8')) as { adminUrl: string };
    expect((await fetch(`${file.adminUrl}/clock`)).status).toBe(200);
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    expect(existsSync(join(dir, 'stack.json'))).toBe(false);
  });
});
