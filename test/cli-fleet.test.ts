import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JSON_OUTPUTS } from '../cli/json-output.ts';
import { DEMO } from '../local/emulators/fixtures.ts';
import { readStackFile } from '../local/stack.ts';
import { linkId } from '../shared/derived.ts';
import { requireLinkSpec } from '../shared/spec.ts';
import * as z from '../shared/zod.ts';
import { stopZplUp, zpl, zplUp } from './support/zpl-cli.ts';

/**
 * Fleet commands and Terraform's manners, through the CLI as a process against `zpl up`: list,
 * executions, status by name alone, drift over the configured regions, plan --detailed-exitcode and
 * structured items, saved plans and stale ones, destroy's confirmation, --follow --json streams,
 * one JSON shape per command, --version and `npx zpl`.
 */

let stateDir: string;
let up: ChildProcess;
let admin: string;
const example = requireLinkSpec(parse(readFileSync('examples/link.yaml', 'utf8')));
const link = linkId(example);
const at = (...args: string[]) => zpl([...args, '--state-dir', stateDir]);
const specFile = (name: string, over: Record<string, unknown>) => {
  const path = join(stateDir, `${name}.json`);
  writeFileSync(path, JSON.stringify({ ...parse(readFileSync('examples/link.yaml', 'utf8')), ...over }));
  return path;
};
/** Output held to its command's documented shape (cli/json-output.ts), strictly. */
const shaped = <K extends keyof typeof JSON_OUTPUTS>(name: K, text: string) => {
  const parsed = JSON_OUTPUTS[name].safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${name} --json is not its documented shape: ${z.prettifyError(parsed.error)}\n${text}`);
  return parsed.data as z.infer<(typeof JSON_OUTPUTS)[K]>;
};
const streamed = (stdout: string) =>
  stdout
    .trimEnd()
    .split('\n')
    .map((line) => shaped('follow stream', line));
const list = (env: Record<string, string> = {}, ...args: string[]) => {
  const r = spawnSync('node', ['bin/zpl.mjs', 'list', '--json', '--state-dir', stateDir, ...args], {
    encoding: 'utf8',
    timeout: 300_000,
    env: { ...process.env, ZPL_REGIONS: '', ...env },
  });
  expect(r.status, r.stderr).toBe(0);
  return shaped('list', r.stdout);
};
const post = async (path: string, body: unknown) => {
  const res = await fetch(`${admin}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json() as Promise<Record<string, unknown>>;
};
const runsOf = (id: string) => shaped('executions', at('executions', '--link', id, '--json').stdout).executions;

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'zpl-fleet-'));
  up = await zplUp(stateDir);
  admin = readStackFile(stateDir).adminUrl;
});
afterAll(() => stopZplUp(up));

describe('zpl --version and npx zpl', () => {
  it('prints package.json version, as `npx zpl` does in the repo after npm ci (no download: --offline)', () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(zpl(['--version']).stdout.trim()).toBe(version);
    const npx = spawnSync('npx', ['--offline', 'zpl', '--version'], { encoding: 'utf8', timeout: 120_000 });
    expect(npx.status, npx.stderr).toBe(0);
    expect(npx.stdout.trim()).toBe(version);
  });
});

describe('plan as Terraform plans', () => {
  it('--detailed-exitcode: 2 with changes; --json items say action, kind, ID, before and after', () => {
    const r = at('plan', '-f', 'examples/link.yaml', '-detailed-exitcode');
    expect(r.status, r.stderr).toBe(2);
    const plan = shaped('plan', at('plan', '-f', 'examples/link.yaml', '--json').stdout);
    expect(plan.changes).toBeGreaterThan(4);
    expect(plan.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const sg = plan.items.find((i) => i.kind === 'security_group')!;
    expect(sg).toMatchObject({
      action: 'create',
      before: null,
      after: { rules: ['TCP 19530/19530 from 10.0.0.0/16', 'ICMP -1/-1 from 10.0.0.0/16'] },
    });
    expect(plan.items.find((i) => i.kind === 'cname_record')).toMatchObject({
      action: 'create',
      id: `${DEMO.clusterId}-privatelink.ali-cn-hangzhou.vectordb.zilliz.com.cn`,
      before: null,
      after: { type: 'CNAME' },
    });
    expect(plan.items.filter((i) => i.action === 'create').every((i) => i.before === null)).toBe(true);
  });

  it('--detailed-exitcode: 1 when the spec cannot work (a VPC that does not exist), never 2', () => {
    const r = at('plan', '-f', specFile('novpc', { vpcId: 'vpc-bp1nosuch00000000001' }), '--detailed-exitcode');
    expect(r.stdout).toMatch(/✗ cannot work: .*vpc-bp1nosuch00000000001/);
    expect(r.status).toBe(1);
  });

  it('a plan saved with -out is applied exactly: apply <plan> --follow --json streams one object a line per event', () => {
    const file = join(stateDir, 'first.plan.json');
    expect(at('plan', '-f', 'examples/link.yaml', '-out', file).stdout).toContain(`Saved the plan to ${file}`);
    const saved = shaped('plan file', readFileSync(file, 'utf8'));
    expect(saved.target).toEqual({ kind: 'stack', region: 'cn-hangzhou' });
    const r = at('apply', file, '--follow', '--json');
    expect(r.status, r.stderr).toBe(0);
    const events = streamed(r.stdout);
    expect(events[0]).toMatchObject({ event: 'started', flow: 'zpl-provision', joined: false, execution: `${link}-p0001` });
    expect(events.filter((e) => e.event === 'step').map((e) => (e as { step: string }).step)).toContain('EnsureDns');
    expect(events.at(-1)).toMatchObject({ event: 'finished', status: 'Succeeded', report: { ok: true, linkId: link } });
    expect(at('plan', '-f', 'examples/link.yaml', '--detailed-exitcode').status).toBe(0);
  });

  it('a saved plan the world no longer matches is refused (exit 4) naming what changed, and nothing starts', async () => {
    const file = join(stateDir, 'stale.plan.json');
    expect(at('plan', '-f', 'examples/link.yaml', '--out', file).status).toBe(0);
    const sg = list().links.find((l) => l.linkId === link)!.securityGroupId!;
    await post('/edits', { op: 'revokeRule', securityGroupId: sg, protocol: 'ICMP', sourceCidr: '10.0.0.0/16' });
    const before = runsOf(link).length;
    const r = at('apply', file);
    expect(r.status).toBe(4);
    expect(r.stderr).toMatch(/the world changed since .*stale\.plan\.json was made .*nothing was applied\. Run zpl plan again\./);
    expect(r.stderr).toMatch(new RegExp(`now: +update security group ${sg}: ${sg}: add ICMP -1/-1 from 10\\.0\\.0\\.0/16`));
    expect(runsOf(link)).toHaveLength(before);
    expect(at('apply', join(stateDir, 'first.plan.json'), '-f', 'examples/link.yaml').status).toBe(2);
    writeFileSync(join(stateDir, 'not-a-plan.json'), '{"format": "x"}');
    const bad = at('apply', join(stateDir, 'not-a-plan.json'));
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/is not a plan saved by zpl plan --out/);
  });
});

describe('the fleet: list, executions, status by name, drift over the configured regions', () => {
  it('list shows the drifted link with its findings; apply makes it ready again', () => {
    const drifted = list().links.find((l) => l.linkId === link)!;
    expect(drifted).toMatchObject({ status: 'drifted', region: 'cn-hangzhou', vpcId: DEMO.vpcId, clusters: [DEMO.clusterId] });
    expect(drifted.findings.map((f) => f.kind)).toEqual(['sg.rule_missing']);
    expect(at('apply', '-f', 'examples/link.yaml', '--follow').status).toBe(0);
    const text = at('list');
    expect(text.stdout).toMatch(
      new RegExp(`^${link}  ready +cn-hangzhou +${DEMO.vpcId} +ep-\\S+ +1 cluster\\(s\\)  ${link}-p0002 Succeeded$`, 'm'),
    );
    expect(text.stdout).toMatch(/^1 link\(s\) in cn-hangzhou: 1 ready$/m);
  });

  it('list shows failed links: a managed link whose last run failed, and one whose run failed before tagging anything', () => {
    const unknownCluster = specFile('unknown-cluster', { clusters: ['in01-00000000000000ff'] });
    expect(at('apply', '-f', unknownCluster, '--follow').status).toBe(1);
    const noVpc = specFile('no-vpc', { vpcId: 'vpc-bp1nosuch00000000001' });
    expect(at('apply', '-f', noVpc, '--follow').status).toBe(1);
    const links = list().links;
    expect(links.find((l) => l.linkId === link)).toMatchObject({
      status: 'failed',
      lastRun: { execution: `${link}-p0003`, status: 'Failed' },
    });
    const bare = linkId({ ...example, vpcId: 'vpc-bp1nosuch00000000001' });
    expect(links.find((l) => l.linkId === bare)).toMatchObject({ status: 'failed', vpcId: 'vpc-bp1nosuch00000000001', findings: [] });
    expect(at('apply', '-f', 'examples/link.yaml', '--follow').status).toBe(0);
    expect(list().links.find((l) => l.linkId === link)!.status).toBe('ready');
  });

  it('executions --link lists the link runs newest first; status finds any execution from its name alone', () => {
    const runs = runsOf(link);
    expect(runs.map((r) => r.execution)).toEqual([`${link}-p0004`, `${link}-p0003`, `${link}-p0002`, `${link}-p0001`]);
    expect(runs.every((r) => r.flow === 'zpl-provision' && r.linkId === link)).toBe(true);
    expect(runs.map((r) => r.status)).toEqual(['Succeeded', 'Failed', 'Succeeded', 'Succeeded']);
    const text = at('status', `${link}-p0003`);
    expect(text.stdout).toContain(`${link}-p0003: Failed (zpl-provision, started`);
    const view = shaped('status', at('status', `${link}-p0001`, '--json').stdout);
    expect(view).toMatchObject({ execution: `${link}-p0001`, flow: 'zpl-provision', status: 'Succeeded', report: { ok: true } });
    expect(at('executions', '--link', 'not-a-link').status).toBe(2);
  });

  it('drift covers ZPL_REGIONS (else the target region); list too; status of a drift check needs no --flow', async () => {
    await post('/seed', {
      zilliz: { projects: [{ projectId: DEMO.projectId, clusters: [{ clusterId: 'in01-0123456789abcbe1', regionId: 'ali-cn-beijing' }] }] },
    });
    const seeded = await post('/links/bulk', { count: 3, region: 'cn-beijing' });
    const env = { ...process.env, ZPL_REGIONS: 'cn-hangzhou,cn-beijing' };
    const r = spawnSync('node', ['bin/zpl.mjs', 'drift', '--json', '--state-dir', stateDir], { encoding: 'utf8', env, timeout: 300_000 });
    expect(r.status, r.stderr).toBe(0);
    const drift = shaped('drift', r.stdout);
    expect(drift.report).toMatchObject({ regions: ['cn-hangzhou', 'cn-beijing'], checked: 4, drifted: 0 });
    const only = at('drift');
    expect(only.stdout).toMatch(/drift check of 1 link\(s\) in cn-hangzhou: 0 drifted/);
    const beijing = list({ ZPL_REGIONS: 'cn-hangzhou cn-beijing' }).links;
    expect(beijing.filter((l) => l.region === 'cn-beijing').map((l) => l.linkId)).toEqual([...(seeded.linkIds as string[])].sort());
    expect(beijing.filter((l) => l.region === 'cn-beijing').every((l) => l.status === 'ready')).toBe(true);
    expect(list({ ZPL_REGIONS: 'cn-hangzhou' }, '--region', 'cn-beijing').regions).toEqual(['cn-beijing']);
    const typo = spawnSync('node', ['bin/zpl.mjs', 'drift', '--state-dir', stateDir], {
      encoding: 'utf8',
      env: { ...env, ZPL_REGIONS: 'cn-hangzou' },
    });
    expect(typo.status).toBe(1);
    expect(typo.stderr).toMatch(/unknown region cn-hangzou \(ZPL_REGIONS\): use cn-hangzhou, /);
    const status = at('status', drift.execution);
    expect(status.stdout).toMatch(new RegExp(`^${drift.execution}: Succeeded \\(zpl-drift, `));
    expect(status.stdout).toMatch(/drift check of 4 link\(s\) in cn-hangzhou, cn-beijing: 0 drifted/);
    expect(shaped('status', at('status', drift.execution, '--json').stdout).driftReport).toMatchObject({ checked: 4 });
    const all = shaped('executions', at('executions', '--json').stdout).executions;
    expect(all.filter((e) => e.flow === 'zpl-drift').map((e) => e.execution)).toContain(drift.execution);
    expect(all.filter((e) => e.flow === 'zpl-drift')).toHaveLength(2);
    expect(all.map((e) => e.startedTime)).toEqual([...all.map((e) => e.startedTime)].sort().reverse());
  });
});

describe('destroy asks first', () => {
  /** The CLI on a terminal of its own (util-linux `script`), answering the question with `answer`. */
  const onTerminal = (answer: string, ...args: string[]) =>
    spawnSync('script', ['-qec', ['node', 'bin/zpl.mjs', ...args, '--state-dir', stateDir].join(' '), '/dev/null'], {
      encoding: 'utf8',
      input: `${answer}\n`,
      timeout: 300_000,
    });

  it('refuses without a terminal unless --yes, and goes ahead on a terminal only for "yes"', () => {
    const teardowns = () => runsOf(link).filter((r) => r.flow === 'zpl-teardown');
    const refused = at('destroy', '-f', 'examples/link.yaml');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/destroy asks for confirmation and stdin is not a terminal; pass --yes/);
    const no = onTerminal('no', 'destroy', '-f', 'examples/link.yaml');
    expect(no.stdout).toMatch(new RegExp(`zpl will tear down link ${link} \\(.*\\): the endpoint, .*Only 'yes' will be accepted`, 's'));
    expect(no.stdout).toContain('Destroy cancelled.');
    expect(no.status).toBe(1);
    expect(teardowns()).toEqual([]);
    const yes = onTerminal('yes', 'destroy', '-f', 'examples/link.yaml', '--follow');
    expect(yes.stdout).toMatch(/deleted\s+endpoint ep-/);
    expect(yes.status).toBe(0);
    expect(teardowns()).toMatchObject([{ execution: `${link}-t0001`, status: 'Succeeded' }]);
    expect(list().links.find((l) => l.linkId === link)).toBeUndefined();
    const status = at('status', `${link}-t0001`);
    expect(status.stdout).toMatch(new RegExp(`^${link}-t0001: Succeeded \\(zpl-teardown, `));
  });
});

describe('one JSON shape per command', () => {
  it('zpl schema prints each as JSON Schema, and the README lists every one', () => {
    const readme = readFileSync('README.md', 'utf8');
    const all = JSON.parse(zpl(['schema']).stdout) as Record<string, { $schema: string }>;
    expect(Object.keys(all)).toEqual(Object.keys(JSON_OUTPUTS));
    for (const [name, schema] of Object.entries(all)) {
      expect(schema.$schema, name).toMatch(/json-schema\.org/);
      expect(readme, name).toContain(`| \`${name}\` |`);
    }
    expect(JSON.parse(zpl(['schema', 'plan']).stdout)).toEqual(all.plan);
    expect(zpl(['schema', 'nope']).status).toBe(2);
  });

  it('check and validate --json are their shapes too', () => {
    expect(shaped('check', zpl(['check', '-f', 'examples/link.yaml', '--json']).stdout)).toMatchObject({ ok: true });
    expect(shaped('validate', zpl(['validate', 'flows/provision.yaml', '--json']).stdout)[0]).toMatchObject({ ok: true });
  });
});
