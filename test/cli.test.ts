import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkFlow } from '../local/engine/fdl-check.ts';
import { DEFAULT_EVENT_BUS } from '../shared/flow-render.ts';
import { linkSteps } from '../shared/steps/index.ts';
import { stopZplUp, zpl, zplUp } from './support/zpl-cli.ts';

/** The CLI as a user runs it: `zpl up` in one process, the other commands in others. */

let stateDir: string;
let up: ChildProcess;
beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'zpl-cli-'));
  up = await zplUp(stateDir);
});
afterAll(() => stopZplUp(up));

describe('zpl against the local stack', () => {
  let firstExecution = '';

  it('plan shows what would be created, and changes nothing', () => {
    const r = zpl(['plan', '-f', 'examples/link.yaml', '--state-dir', stateDir]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/\+ create\s+security group\s+TCP 19530\/19530 from 10\.0\.0\.0\/16/);
    expect(r.stdout).toMatch(/\+ create\s+interface endpoint\s+to com\.aliyuncs\.privatelink\.cn-hangzhou\.epsrv-/);
    expect(r.stdout).toMatch(/\+ create\s+private zone\s+ali-cn-hangzhou\.vectordb\.zilliz\.com\.cn \(recursive proxy on\)/);
    expect(r.stdout).toMatch(/\+ create\s+CNAME record\s+in01-0123456789abcdef-privatelink/);
    const state = JSON.parse(zpl(['plan', '-f', 'examples/link.yaml', '--state-dir', stateDir, '--json']).stdout) as { items: unknown[] };
    expect(state.items.length).toBeGreaterThan(4);
  });

  it('apply --follow shows one line per step, the summary and the verification, and exits 0', () => {
    const r = zpl(['apply', '-f', 'examples/link.yaml', '--state-dir', stateDir, '--follow']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    firstExecution = /started execution (\S+)/.exec(r.stdout)![1]!;
    for (const step of linkSteps('provision').map((s) => s.state)) {
      expect(r.stdout).toMatch(new RegExp(`✓ ${step}\\s+\\d+(s|m\\d+s)`));
    }
    expect(r.stdout).toMatch(/… CheckEndpoint .* waiting for endpoint ep-\S+ to become Active/);
    expect(r.stdout).toMatch(/resolver 127\.0\.0\.1:\d+: CNAME ep-\S+privatelink\.aliyuncs\.com → 10\.0\.1\.\d+, 10\.0\.2\.\d+/);
    expect(r.stdout).toMatch(/TCP 10\.0\.1\.\d+:19530 connected \(via 127\.0\.0\.1:\d+\)/);
    expect(r.stdout).toMatch(/Succeeded after \d+m\d+s of cloud time/);
  });

  it('plan after apply shows nothing left to change', () => {
    const r = zpl(['plan', '-f', 'examples/link.yaml', '--state-dir', stateDir]);
    expect(r.status).toBe(0);
    expect(r.stdout).not.toMatch(/\+ create|~ update/);
    expect(r.stdout).toContain('0 change(s)');
  });

  it("apply again (--json) is the link's next run, which succeeds and creates nothing", () => {
    const r = zpl(['apply', '-f', 'examples/link.yaml', '--state-dir', stateDir, '--follow', '--json']);
    expect(r.status).toBe(0);
    // --follow --json streams one object a line; the last is the run's end.
    const out = JSON.parse(r.stdout.trimEnd().split('\n').at(-1)!) as {
      execution: string;
      status: string;
      report: { ok: boolean; changes: { action: string }[] };
    };
    expect(out.status).toBe('Succeeded');
    expect(out.execution).not.toBe(firstExecution);
    expect(out.execution).toMatch(/^zpl-[0-9a-f]{12}-p0002$/);
    expect(out.report.changes.filter((c) => c.action === 'created')).toEqual([]);
  });

  it('plan of a narrowed spec shows the removals (-) and what they risk, in text and --json', () => {
    const narrowed = join(stateDir, 'narrowed.yaml');
    const example = readFileSync('examples/link.yaml', 'utf8').replace('  - zoneId: cn-hangzhou-j\n', '');
    writeFileSync(narrowed, `${example}allowedCidrs: [10.0.1.0/24]\n`);
    const r = zpl(['plan', '-f', narrowed, '--state-dir', stateDir]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /- remove\s+security group rules\s+sg-\S+: revoke TCP 19530\/19530 from 10\.0\.0\.0\/16, ICMP -1\/-1 from 10\.0\.0\.0\/16/,
    );
    expect(r.stdout).toMatch(/⚠ clients reaching the endpoint only through .* are cut off/);
    expect(r.stdout).toMatch(/- remove\s+endpoint zone\s+ep-\S+: remove cn-hangzhou-j \(ENI 10\.0\.2\.\d+\)/);
    expect(r.stdout).toMatch(/⚠ stops its billing and releases its ENI 10\.0\.2\.\d+/);
    const json = JSON.parse(zpl(['plan', '-f', narrowed, '--state-dir', stateDir, '--json']).stdout) as {
      items: { action: string; risk?: string }[];
    };
    expect(json.items.filter((i) => i.action === 'remove').every((i) => i.risk)).toBe(true);
  });

  it('status shows any execution; an unknown one is a clear error', () => {
    const r = zpl(['status', firstExecution, '--state-dir', stateDir]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`${firstExecution}: Succeeded`);
    expect(r.stdout).toMatch(/✓ EnsureDns/);
    const missing = zpl(['status', 'no-such-run', '--state-dir', stateDir]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/ExecutionNotExists: Execution no-such-run for flow zpl-provision does not exist/);
  });
});

describe('zpl drift and destroy against the local stack', () => {
  it('drift finds the applied link clean (exit 0)', () => {
    const r = zpl(['drift', '--state-dir', stateDir]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/drift check of 1 link\(s\) in cn-hangzhou: 0 drifted/);
    // Clean links are counted, not listed (the report is flow state, O(1) in links).
    expect(r.stdout).not.toMatch(/✗/);
  });

  it('destroy --follow removes what apply created, and drift then finds no link', () => {
    // --yes: destroy asks first, and refuses without a terminal to ask on (test/cli-fleet.test.ts).
    const r = zpl(['destroy', '-f', 'examples/link.yaml', '--state-dir', stateDir, '--follow', '--yes']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/✓ DeleteEndpoint/);
    expect(r.stdout).toMatch(/deleted\s+endpoint ep-/);
    expect(r.stdout).toMatch(/deleted\s+security group sg-/);
    expect(r.stdout).toMatch(/deleted\s+private zone/);
    const after = zpl(['drift', '--state-dir', stateDir, '--json']);
    expect(after.status).toBe(0);
    expect((JSON.parse(after.stdout) as { report: { links: unknown[] } }).report.links).toEqual([]);
  });
});

describe('zpl without a stack', () => {
  it('apply says how to start one', () => {
    const r = zpl(['apply', '-f', 'examples/link.yaml', '--state-dir', mkdtempSync(join(tmpdir(), 'zpl-none-'))]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/no local stack is running .* start one with `zpl up`, or pick --target local\|cloudflow/);
  });

  it('the real-cloud targets ask for credentials instead of failing later', () => {
    // No key anywhere the default chain looks: not in the environment, no profile in an empty home.
    const home = mkdtempSync(join(tmpdir(), 'zpl-home-'));
    const env = {
      ...process.env,
      ALIBABA_CLOUD_ACCESS_KEY_ID: '',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: '',
      ALIBABA_CLOUD_PROFILE: '',
      HOME: home,
    };
    const r = spawnSync('node', ['bin/zpl.mjs', 'apply', '-f', 'examples/link.yaml', '--target', 'cloudflow'], { encoding: 'utf8', env });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET/);
  });

  it('demo (npm start) provisions the example end to end and exits 0', () => {
    const r = zpl(['demo', '--state-dir', mkdtempSync(join(tmpdir(), 'zpl-demo-'))]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Verification \(from inside vpc-bp1demo0000000000001\)/);
    expect(r.stdout).toMatch(/TCP 10\.0\.2\.\d+:19530 connected/);
  });

  it('render fills in the function ARNs; the result still validates', () => {
    const out = mkdtempSync(join(tmpdir(), 'zpl-render-'));
    const r = zpl(['render', '--region', 'cn-beijing', '--account-id', '1111222233334444', '-o', out]);
    expect(r.status).toBe(0);
    const files = readdirSync(out);
    expect(files).toContain('zpl-provision.yaml');
    const text = readFileSync(join(out, 'zpl-provision.yaml'), 'utf8');
    expect(text).not.toContain('${');
    expect(text).toContain('acs:fc:cn-beijing:1111222233334444:functions/zpl-validate/LATEST');
    expect(checkFlow(text).ok).toBe(true);
    expect(zpl(['render', '--region', 'cn-beijing', '--account-id', '12', '-o', out]).status).toBe(1);
  });

  it('render passes the event bus as build does: --event-bus, else ZPL_EVENT_BUS, else s.yaml vars.eventBus', () => {
    const render = (args: string[], env: Record<string, string> = {}) => {
      const out = mkdtempSync(join(tmpdir(), 'zpl-render-bus-'));
      const { ZPL_EVENT_BUS: _unset, ...inherited } = process.env;
      const r = spawnSync(
        'node',
        ['bin/zpl.mjs', 'render', '--region', 'cn-beijing', '--account-id', '1111222233334444', '-o', out, ...args],
        { encoding: 'utf8', timeout: 300_000, env: { ...inherited, ...env } },
      );
      expect(r.status, r.stderr).toBe(0);
      return readFileSync(join(out, 'zpl-provision.yaml'), 'utf8');
    };
    expect(render(['--event-bus', 'tickets'], { ZPL_EVENT_BUS: 'ignored' })).toContain('eventBusName: tickets');
    expect(render([], { ZPL_EVENT_BUS: 'from-env' })).toContain('eventBusName: from-env');
    expect(render([], {})).toContain(`eventBusName: ${DEFAULT_EVENT_BUS}`);
    expect(
      zpl([
        'render',
        '--region',
        'cn-beijing',
        '--account-id',
        '1111222233334444',
        '--event-bus',
        'no spaces allowed',
        '-o',
        mkdtempSync(join(tmpdir(), 'zpl-render-bus-')),
      ]).status,
    ).toBe(1);
  });

  it('validate checks flow files and exits 2 on problems', () => {
    expect(zpl(['validate', 'flows/provision.yaml']).stdout).toMatch(/flows\/provision\.yaml: valid \(\d+ states\)/);
    const bad = zpl(['validate', 'examples/link.yaml']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/examples\/link\.yaml: /);
  });
});
