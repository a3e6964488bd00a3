import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO } from '../local/emulators/fixtures.ts';
import { stopZplUp, zpl, zplUp, zplUpForSuite } from './support/zpl-cli.ts';

/** What a new user tripped on, each as the user meets it: the CLI as a process. */

const dir = mkdtempSync(join(tmpdir(), 'zpl-trips-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
/** examples/link.yaml's fields, as lines a test can vary. */
const spec = (over: { accountId?: string; clusters?: string; zones?: string; extra?: string } = {}) =>
  [
    'projectId: proj-4a1b2c3d4e5f6a7b8c9d',
    'region: cn-hangzhou',
    `accountId: ${over.accountId ?? '"1234567890123456"'}`,
    'vpcId: vpc-bp1demo0000000000001',
    `clusters: ${over.clusters ?? `[${DEMO.clusterId}]`}`,
    `zones: ${over.zones ?? '[{zoneId: cn-hangzhou-h}, {zoneId: cn-hangzhou-j}]'}`,
    over.extra ?? '',
  ].join('\n');
const NO_TRACE = /at .*\.(ts|js|mjs):\d+/;

describe('zpl check', () => {
  it('names a wrong type as such, not as missing, and lists the whole-spec problems in the same pass', () => {
    const text = spec({
      accountId: '1234567890123456',
      zones: 'cn-hangzhou-h',
      extra: 'tags: {aliyun-x: y}\ndeadlines: {endpointActiveSeconds: 86400}\n',
    });
    const r = zpl(['check', '-f', file('types.yaml', text)]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('accountId: must be a string, not the number 1234567890123456: write it in quotes ("1234567890123456")');
    expect(r.stderr).toContain('zones: must be a list, not a string ("cn-hangzhou-h")');
    expect(r.stderr).not.toMatch(/is required/);
    expect(r.stderr).toMatch(/tags\.aliyun-x: tag keys may not start with aliyun/);
    expect(r.stderr).toMatch(/deadlines\.endpointActiveSeconds: teardown waits on it three times/);
  });

  it('says a missing file is missing, not an invalid spec', () => {
    const r = zpl(['check', '-f', join(dir, 'nope.yaml')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`zpl: cannot read ${join(dir, 'nope.yaml')}: ENOENT (no such file)\n`);
  });

  it('shows a YAML syntax error whole: message, line and column, and the lines around it', () => {
    const path = file('syntax.yaml', 'projectId: proj-4a1b2c3d4e5f6a7b8c9d\nzones: [a: b: c]\n');
    const r = zpl(['check', '-f', path]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${path}:2:12: Block collections are not allowed within flow collections at line 2, column 12:`);
    expect(r.stderr).toContain('zones: [a: b: c]\n');
    expect(r.stderr).toMatch(/\^+/);
    expect(r.stderr).not.toMatch(/invalid link spec/);
  });

  it('--json carries the link ID and each cluster hostname', () => {
    const r = zpl(['check', '-f', 'examples/link.yaml', '--json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      ok: true,
      linkId: 'zpl-0c3730bbb610',
      hosts: [
        {
          cluster: DEMO.clusterId,
          hostname: `${DEMO.clusterId}-privatelink.ali-cn-hangzhou.vectordb.zilliz.com.cn`,
          zone: 'ali-cn-hangzhou.vectordb.zilliz.com.cn',
          record: `${DEMO.clusterId}-privatelink`,
        },
      ],
    });
  });
});

describe('zpl diagram', () => {
  it('of a missing file: a clear error and exit 2, no stack trace', () => {
    const r = zpl(['diagram', join(dir, 'nope.yaml')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`zpl: cannot read the flow file ${join(dir, 'nope.yaml')}: no such file\n`);
  });
});

describe('against a running stack', () => {
  const suite = zplUpForSuite('zpl-trips-up-');

  it('a second zpl up on the same state directory is refused, and the first keeps its stack file', () => {
    const second = spawnSync('node', ['bin/zpl.mjs', 'up', '--state-dir', suite.stateDir(), '--pace', '0'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(second.status).toBe(1);
    expect(second.stderr).toMatch(new RegExp(`zpl: a local stack is already running on .* \\(process ${suite.up().pid}\\)`));
    expect(second.stderr).not.toMatch(NO_TRACE);
    expect(existsSync(join(suite.stateDir(), 'stack.json'))).toBe(true);
    expect(zpl(['drift', '--state-dir', suite.stateDir()]).status).toBe(0);
  });

  it('drift prints a real call count, or none', () => {
    const r = zpl(['drift', '--state-dir', suite.stateDir()]);
    expect(r.stdout).toMatch(/^drift check of 0 link\(s\) in cn-hangzhou: 0 drifted \(\d+ API calls\)$/m);
    expect(r.stdout).not.toMatch(/n\/a/);
  });

  it('--region is checked and answered in terms of the option, not of a spec', () => {
    const unknown = zpl(['drift', '--state-dir', suite.stateDir(), '--region', 'nope']);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/nope is not a region zpl links in: one of cn-hangzhou/);
    // Was refused ("the local stack emulates cn-hangzhou only"): drift now covers the regions asked
    // for whatever region the engine runs in, and the stack's emulators serve every region.
    const other = zpl(['drift', '--state-dir', suite.stateDir(), '--region', 'cn-beijing']);
    expect(other.stderr).toBe('');
    expect(other.stdout).toMatch(/^drift check of 0 link\(s\) in cn-beijing: 0 drifted/m);
    expect(other.status).toBe(0);
  });

  it('destroy --cluster shows the steps it leaves alone as skipped, not done', () => {
    const two = file('two.yaml', spec({ clusters: `[${DEMO.clusterId}, ${DEMO.secondClusterId}]` }));
    expect(zpl(['apply', '-f', two, '--state-dir', suite.stateDir(), '--follow']).status).toBe(0);
    // --yes: destroy asks first, and refuses without a terminal to ask on (test/cli-fleet.test.ts).
    const r = zpl(['destroy', '-f', two, '--cluster', DEMO.secondClusterId, '--state-dir', suite.stateDir(), '--follow', '--yes']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/✓ RemoveDns .* deleted record/);
    for (const step of ['DeregisterEndpoint', 'DeleteEndpoint', 'DeleteSecurityGroup'])
      expect(r.stdout).toMatch(new RegExp(`– ${step}\\s+\\d+s\\s+skipped: only the named clusters' records are removed \\(--cluster\\)`));
  });

  it('--target local and cloudflow honour the endpoint overrides (nothing reaches beyond loopback)', () => {
    const stack = JSON.parse(readFileSync(join(suite.stateDir(), 'stack.json'), 'utf8')) as Record<string, string>;
    const env = {
      ...process.env,
      ALIBABA_CLOUD_ACCESS_KEY_ID: stack.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: stack.accessKeySecret,
      ZILLIZ_API_KEY: stack.zillizApiKey,
      ZPL_ALIBABA_ENDPOINT: stack.alibabaUrl,
      ZPL_ZILLIZ_URL: stack.zillizUrl,
      ZPL_FNF_ENDPOINT: stack.fnfUrl,
    };
    const run = (args: string[]) =>
      spawnSync('node', ['--import', './test/support/loopback-only.mjs', 'bin/zpl.mjs', ...args], {
        encoding: 'utf8',
        env,
        timeout: 120_000,
      });
    const plan = run(['plan', '-f', 'examples/link.yaml', '--target', 'local', '--state-dir', dir]);
    expect(plan.stderr).toBe('');
    expect(plan.status).toBe(0);
    expect(plan.stdout).toMatch(/\d+ change\(s\)/);
    // The run the destroy test's apply made, read from the stack's engine through ZPL_FNF_ENDPOINT.
    const status = run(['status', 'zpl-0c3730bbb610-p0001', '--target', 'cloudflow']);
    expect(status.stderr).toBe('');
    expect(status.stdout).toMatch(/^zpl-0c3730bbb610-p0001: Succeeded/);
  });
});

describe('a stack that was killed', () => {
  it('commands say it is not running and how to start it; a new zpl up takes over its state directory', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'zpl-trips-killed-'));
    const up = await zplUp(stateDir);
    up.kill('SIGKILL');
    await new Promise((r) => up.once('exit', r));
    expect(existsSync(join(stateDir, 'stack.json'))).toBe(true);
    const r = zpl(['drift', '--state-dir', stateDir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /is not running \(its process \d+ has ended; .*stack\.json is left from it\): start it again with `zpl up --state-dir /,
    );
    expect(r.stderr).not.toMatch(/ECONNREFUSED/);
    const again = await zplUp(stateDir);
    expect(zpl(['drift', '--state-dir', stateDir]).status).toBe(0);
    await stopZplUp(again);
  });
});
