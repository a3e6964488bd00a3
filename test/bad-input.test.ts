import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVISION_FLOW } from '../shared/flows.ts';
import { readSpecFile } from '../cli/spec-file.ts';
import type { Stack } from '../local/stack.ts';
import { demoSpec, finish, startTestStack } from './support/provision.ts';

/**
 * Malformed link specs as CLI spec files and as flow inputs (the API's and the events' corpora
 * are in their own files): each is refused with a message naming the field, nothing is written
 * to the clouds, nothing crashes.
 */

const base = demoSpec() as Record<string, unknown>;
const manyClusters = (n: number) => Array.from({ length: n }, (_, i) => `in01-${i.toString(16).padStart(16, '0')}`);
const manyCidrs = (n: number) => Array.from({ length: n }, (_, i) => `10.${i}.0.0/16`);
const without = (k: string) => Object.fromEntries(Object.entries(base).filter(([key]) => key !== k));
const BAD_SPECS: [string, unknown, string][] = [
  ['no projectId', without('projectId'), 'projectId'],
  ['no region', without('region'), 'region'],
  ['no accountId', without('accountId'), 'accountId'],
  ['no vpcId', without('vpcId'), 'vpcId'],
  ['no clusters', without('clusters'), 'clusters'],
  ['no zones', without('zones'), 'zones'],
  ['numeric accountId', { ...base, accountId: 1234567890123456 }, 'accountId'],
  ['short accountId', { ...base, accountId: '42' }, 'accountId'],
  ['project ID malformed', { ...base, projectId: 'my-project' }, 'projectId'],
  ['unknown region', { ...base, region: 'eu-west-1' }, 'region'],
  ['VPC ID malformed', { ...base, vpcId: 'vpc_1' }, 'vpcId'],
  ['cluster ID malformed', { ...base, clusters: ['cluster-1'] }, 'clusters.0'],
  ['serverless cluster', { ...base, clusters: ['in03-0123456789abcdef'] }, 'clusters.0'],
  ['duplicate clusters', { ...base, clusters: ['in01-0123456789abcdef', 'in01-0123456789abcdef'] }, 'clusters'],
  ['empty clusters', { ...base, clusters: [] }, 'clusters'],
  // Bounded by the vendors' limits (shared/limits.ts), each named by its field.
  ['1,000 clusters', { ...base, clusters: manyClusters(1000) }, 'clusters'],
  ['66 clusters (21 tags on the endpoint)', { ...base, clusters: manyClusters(66) }, 'clusters'],
  ['101 CIDR blocks with ICMP (202 rules)', { ...base, allowedCidrs: manyCidrs(101) }, 'allowedCidrs'],
  ['11 zones', { ...base, zones: Array.from({ length: 11 }, (_, i) => ({ zoneId: `cn-hangzhou-${'abcdefghijk'[i]}` })) }, 'zones'],
  ['empty zones', { ...base, zones: [] }, 'zones'],
  ['zone of another region', { ...base, zones: [{ zoneId: 'cn-shenzhen-d' }] }, 'zones.0.zoneId'],
  ['zone twice', { ...base, zones: [{ zoneId: 'cn-hangzhou-h' }, { zoneId: 'cn-hangzhou-h' }] }, 'zones.1.zoneId'],
  ['zone as a string', { ...base, zones: ['cn-hangzhou-h'] }, 'zones.0'],
  ['zone with an unknown field', { ...base, zones: [{ zoneId: 'cn-hangzhou-h', az: 1 }] }, 'zones.0'],
  ['bad vSwitch ID', { ...base, zones: [{ zoneId: 'cn-hangzhou-h', vSwitchId: 'v' }] }, 'zones.0.vSwitchId'],
  ['bad security group', { ...base, securityGroupId: 'group' }, 'securityGroupId'],
  ['CIDR without mask', { ...base, allowedCidrs: ['10.0.0.0'] }, 'allowedCidrs.0'],
  ['CIDR mask too big', { ...base, allowedCidrs: ['10.0.0.0/33'] }, 'allowedCidrs.0'],
  ['empty CIDR list', { ...base, allowedCidrs: [] }, 'allowedCidrs'],
  ['port zero', { ...base, port: 0 }, 'port'],
  ['port as text', { ...base, port: '19530' }, 'port'],
  ['icmp as text', { ...base, icmp: 'no' }, 'icmp'],
  ['unknown DNS layout', { ...base, dnsLayout: 'per-vpc' }, 'dnsLayout'],
  ['endpoint name with a space', { ...base, endpointName: 'my endpoint' }, 'endpointName'],
  ['reserved tag key', { ...base, tags: { 'acs:owner': 'x' } }, 'tags.acs:owner'],
  ['tag value too long', { ...base, tags: { k: 'v'.repeat(200) } }, 'tags.k'],
  ['deadline negative', { ...base, deadlines: { connectionSeconds: -1 } }, 'deadlines.connectionSeconds'],
  ['deadline too long', { ...base, deadlines: { serviceVisibleSeconds: 10 ** 9 } }, 'deadlines.serviceVisibleSeconds'],
  ['deadline unknown field', { ...base, deadlines: { forever: true } }, 'deadlines'],
  ['unknown top-level field', { ...base, cluster: 'in01-0123456789abcdef' }, ''],
  ['a list instead of a spec', [base], ''],
  ['a string instead of a spec', 'link', ''],
  ['null', null, ''],
  ['a number', 7, ''],
];

describe('bad CLI spec files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zpl-bad-specs-'));
  it.each(BAD_SPECS)('%s → refused, naming the field', (name, spec, field) => {
    const file = join(dir, `${name.replace(/\W+/g, '-')}.yaml`);
    writeFileSync(file, stringify(spec));
    const r = readSpecFile(file);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.length).toBeGreaterThan(0);
    if (field) expect(r.errors.map((e) => e.field)).toContain(field);
    for (const e of r.errors) expect(e.message.length).toBeGreaterThan(5);
  });

  it.each([
    ['not YAML at all', 'projectId: [unclosed\n', /not valid YAML/],
    ['tabs for indentation', 'projectId: proj-4a1b2c3d4e5f6a7b8c9d\n\tregion: cn-hangzhou\n', /not valid YAML/],
    ['an empty file', '', /./],
    ['binary', '\u0000\u0001\u0002', /./],
  ])('%s → a clear message', (_name, text, message) => {
    const file = join(dir, `raw-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(file, text);
    const r = readSpecFile(file);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.message).join(' ')).toMatch(message);
  });

  it('the CLI itself exits 2 without a stack trace, and a missing file is named', () => {
    const file = join(dir, 'cli.yaml');
    writeFileSync(file, stringify({ ...base, port: 0 }));
    for (const cmd of [
      ['check', '-f', file],
      ['apply', '-f', file],
      ['plan', '-f', file],
      ['destroy', '-f', file],
    ]) {
      const r = spawnSync('node', ['bin/zpl.mjs', ...cmd], { encoding: 'utf8' });
      expect(r.status, cmd.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/port/);
      expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
    }
    const missing = spawnSync('node', ['bin/zpl.mjs', 'check', '-f', join(dir, 'nope.yaml')], { encoding: 'utf8' });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/cannot read .*nope\.yaml: ENOENT/);
  });
});

describe('bad flow inputs', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack.stop();
  });

  it.each(BAD_SPECS)(
    'a provision run started with %s fails at Validate naming the field, with no cloud write',
    async (name, spec, field) => {
      const before = stack.emulators.calls.calls.length;
      const exec = `bad-${name.replace(/\W+/g, '-')}`.slice(0, 100);
      await stack.flows.start(PROVISION_FLOW, exec, { spec });
      const run = await finish(stack, exec);
      expect(run.rec.status).toBe('Failed');
      expect(run.report?.failed).toMatchObject({ step: 'Validate', code: 'Spec.Invalid' });
      if (field) expect(run.report!.failed!.message).toContain(`${field}:`);
      expect(stack.emulators.calls.calls.slice(before)).toEqual([]);
    },
  );

  it('no spec at all fails the same way', async () => {
    await stack.flows.start(PROVISION_FLOW, 'no-spec', {});
    const run = await finish(stack, 'no-spec');
    expect(run.report?.failed).toMatchObject({ step: 'Validate', code: 'Spec.Invalid' });
  });
});
