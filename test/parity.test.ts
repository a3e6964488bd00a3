import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CATALOG_BY_PRODUCT } from '../shared/aliyun/catalog.ts';
import { AliyunTransport } from '../shared/aliyun/rpc.ts';
import { DEMO, demoSeed } from '../local/emulators/fixtures.ts';
import { startEmulators, type Emulators } from '../local/emulators/index.ts';
import { PARITY_CASES } from './parity/cases.ts';
import { metadata } from './support/metadata.ts';
import { runParity, type ParityOptions } from './parity/runner.ts';
import { readSnapshot, writeSnapshot } from './parity/snapshot.ts';
import { PARITY_TAG_KEY, PARITY_ZONE_SUFFIX } from './parity/sweep.ts';
import { ParityRefusal } from './parity/targets.ts';

/**
 * The parity suite tested on loopback: the runner against the local stack's emulators, and its
 * real-cloud target pointed by endpoint overrides at a second emulated account (the "cloud"
 * here), so the comparison runs call by call — and a broken answer (an injected error code, a
 * snapshot whose field is missing or of another type) is reported as a difference.
 */

let cloud: Emulators;
let reportDir: string;

beforeEach(async () => {
  cloud = await startEmulators({ mode: 'events', seed: demoSeed() });
  reportDir = mkdtempSync(join(tmpdir(), 'zpl-parity-'));
});
afterEach(() => cloud.close());

/** The environment a person with an account sets, pointed at the emulated "cloud" (CI is set: only loopback overrides let it run). */
const cloudEnv = (): NodeJS.ProcessEnv => ({
  CI: 'true',
  ALIBABA_CLOUD_ACCESS_KEY_ID: DEMO.accessKeyId,
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEMO.accessKeySecret,
  ZPL_PARITY_REGION: DEMO.region,
  ZPL_PARITY_VPC_ID: DEMO.vpcId,
  ZILLIZ_API_KEY: DEMO.zillizApiKey,
  ZPL_PARITY_PROJECT_ID: DEMO.projectId,
  ZPL_PARITY_CLUSTER_ID: DEMO.clusterId,
  ZPL_PARITY_SERVICE_ID: 'epsrv-bp1zillizhz0000001',
  ZPL_ALIBABA_ENDPOINT: cloud.alibabaUrl,
  ZPL_ZILLIZ_URL: cloud.zillizUrl,
});

const cloudApi = () =>
  new AliyunTransport({
    catalog: CATALOG_BY_PRODUCT,
    endpoint: cloud.alibabaUrl,
    credentials: { accessKeyId: DEMO.accessKeyId, accessKeySecret: DEMO.accessKeySecret },
    clock: cloud.clock,
  });

/** The account allowlisted with Zilliz and its service visible, as ZPL_PARITY_SERVICE_ID assumes. */
async function allowlistInCloud(): Promise<void> {
  cloud.world.allowlist(DEMO.projectId, `ali-${DEMO.region}`, DEMO.accountId);
  await cloud.clock.sleep(60_000);
}

const options = (o: Partial<ParityOptions>): ParityOptions => ({
  target: 'local',
  write: false,
  endpoint: false,
  env: {},
  reportDir,
  ...o,
});
const ALL_IDS = PARITY_CASES.map((c) => c.id);

describe('parity suite on the emulators', () => {
  it('every case, reads, writes and the endpoint, answers as the cases declare and as the catalog reads it (local target)', async () => {
    const report = await runParity(options({ write: true, endpoint: true }));
    expect(report.results.map((r) => r.id)).toEqual(ALL_IDS);
    expect(report.results.filter((r) => r.findings.length > 0)).toEqual([]);
    expect(report.summary).toMatchObject({ differed: 0, 'not-run': 0, findings: 0 });
    // No real-cloud snapshot is committed yet, so nothing is compared call by call here.
    expect(report.expectedSource).toMatch(/^none recorded/);
    expect(report.results.every((r) => r.status === 'unrecorded' && r.calls > 0)).toBe(true);
    const md = readFileSync(join(reportDir, 'report.md'), 'utf8');
    for (const id of ALL_IDS) expect(md).toContain(`| ${id} | unrecorded |`);
    expect(JSON.parse(readFileSync(join(reportDir, 'report.json'), 'utf8'))).toMatchObject({ summary: { differed: 0 } });
  });

  it('every Alibaba code a case declares from the metadata is listed there for that action, with that HTTP status', async () => {
    await runParity(options({ write: true, endpoint: true }));
    const declared = Object.values(readSnapshot(join(reportDir, 'snapshot-local.json')).cases)
      .flatMap((c) => c.calls)
      .filter((c) => c.declared?.code && /_\d{4}-\d\d-\d\d\.json .* errorCodes/.test(c.declared.source));
    expect(declared.length).toBeGreaterThanOrEqual(9);
    for (const call of declared) {
      const [product, action] = call.api.split('.') as [string, string];
      const listed = metadata(product).apis[action]!.errorCodes?.[String(call.declared!.httpStatus)] ?? [];
      expect(
        listed.map((e) => e.errorCode),
        `${call.api} ${call.declared!.code}`,
      ).toContain(call.declared!.code);
    }
  });

  it('the real-cloud target, pointed at an emulated account by endpoint overrides, matches the emulators call by call, and leaves nothing behind', async () => {
    await allowlistInCloud();
    // An interrupted run's leftovers: the sweeper removes them by tag and zone name.
    const api = cloudApi();
    const { SecurityGroupId: leftover } = await api.call('Ecs', 'CreateSecurityGroup', DEMO.region, {
      RegionId: DEMO.region,
      VpcId: DEMO.vpcId,
      Tag: [{ Key: PARITY_TAG_KEY, Value: 'pinterrupted' }],
    });
    await api.call('pvtz', 'AddZone', DEMO.region, { ZoneName: `pinterrupted.${PARITY_ZONE_SUFFIX}` });
    const before = cloud.calls.calls.length;

    const report = await runParity(options({ target: 'aliyun', write: true, endpoint: true, env: cloudEnv(), clock: cloud.clock }));

    expect(report.expectedSource).toBe('the emulators, answering the same cases in this process');
    expect(report.results.filter((r) => r.status !== 'matched')).toEqual([]);
    expect(report.results.reduce((n, r) => n + r.calls, 0)).toBeGreaterThan(40);
    expect(cloud.calls.calls.length - before).toBeGreaterThan(40); // the overrides were honoured
    const groups = await api.call('Ecs', 'DescribeSecurityGroups', DEMO.region, { RegionId: DEMO.region, VpcId: DEMO.vpcId });
    expect(groups.SecurityGroups.SecurityGroup.map((g) => g.SecurityGroupId)).not.toContain(leftover);
    expect(JSON.stringify(groups)).not.toContain(PARITY_TAG_KEY);
    const zones = await api.call('pvtz', 'DescribeZones', DEMO.region, { Keyword: PARITY_ZONE_SUFFIX });
    expect(zones.Zones.Zone).toEqual([]);
    const endpoints = await api.call('Privatelink', 'ListVpcEndpoints', DEMO.region, { RegionId: DEMO.region, VpcId: DEMO.vpcId });
    expect(endpoints.Endpoints).toEqual([]);
  });

  it('an answer broken by an injected error code is reported against the declared code and against the emulators', async () => {
    cloud.faults.add({
      target: 'Ecs.DescribeSecurityGroupAttribute',
      kind: 'error',
      code: 'InvalidSecurityGroupId.Malformed',
      httpStatus: 400,
      count: 1,
    });

    const report = await runParity(
      options({ target: 'aliyun', env: cloudEnv(), clock: cloud.clock, cases: ['ecs.security-group.unknown', 'vpc.sandbox'] }),
    );

    expect(report.results.map((r) => [r.id, r.status])).toEqual([
      ['ecs.security-group.unknown', 'differed'],
      ['vpc.sandbox', 'matched'],
    ]);
    expect(report.results[0]!.findings).toEqual([
      expect.objectContaining({
        kind: 'declared',
        side: 'aliyun',
        path: 'code',
        expected: 'InvalidSecurityGroupId.NotFound',
        actual: 'InvalidSecurityGroupId.Malformed',
      }),
      expect.objectContaining({ kind: 'declared', side: 'aliyun', path: 'httpStatus', expected: 404, actual: 400 }),
      expect.objectContaining({
        kind: 'code',
        call: 'describe sg-nonexistent',
        expected: 'InvalidSecurityGroupId.NotFound',
        actual: 'InvalidSecurityGroupId.Malformed',
      }),
      expect.objectContaining({ kind: 'http-status', expected: 404, actual: 400 }),
    ]);
    expect(readFileSync(join(reportDir, 'report.md'), 'utf8')).toContain('| describe sg-nonexistent | code |');
  });

  it('a recorded snapshot is the expected side as committed, and a field missing, retyped or with another status word in it is reported', async () => {
    const recorded = join(reportDir, 'recorded.json');
    const first = await runParity(options({ record: recorded }));
    expect(first.summary.differed).toBe(0);

    // Unchanged, the snapshot of one run matches the next (IDs, request IDs and times normalised); writes were not run.
    const again = await runParity(options({ expect: recorded }));
    expect(again.summary).toMatchObject({ matched: PARITY_CASES.filter((c) => c.needs === 'read').length, differed: 0, findings: 0 });

    const snapshot = readSnapshot(recorded);
    const vpc = snapshot.cases['vpc.sandbox']!.calls.find((c) => c.label === 'describe the VPC')!;
    expect(vpc.shape).toMatchObject({ '$.CidrBlock': 'string', '$.VpcId': 'string', '$.Status': 'string' });
    delete vpc.shape['$.CidrBlock'];
    vpc.shape['$.VpcId'] = 'number';
    vpc.shape['$.AnswerOnlyTheCloudGives'] = 'string';
    vpc.literals['$.Status'] = ['Pending'];
    const broken = join(reportDir, 'broken.json');
    writeSnapshot(broken, snapshot);

    const report = await runParity(options({ expect: broken, cases: ['vpc.sandbox'] }));

    const found = report.results[0]!.findings.map((f) => [f.kind, f.path, f.expected, f.actual]);
    expect(report.results[0]!.status).toBe('differed');
    expect(found).toEqual([
      // The tampered snapshot breaks the case's own declaration too (DescribeVpcAttribute's Status is Available).
      ['declared', '$.Status', 'Available', ['Pending']],
      ['field-type', '$.VpcId', 'number', 'string'],
      ['field-missing', '$.AnswerOnlyTheCloudGives', 'string', undefined],
      ['field-extra', '$.CidrBlock', undefined, 'string'],
      ['literal', '$.Status', ['Pending'], ['Available']],
    ]);
  });

  it('the real-cloud target refuses to start without explicit credentials and a sandbox VPC, and in CI unless every endpoint is on loopback', async () => {
    await expect(runParity(options({ target: 'aliyun', env: {} }))).rejects.toThrow(
      /ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET, ZPL_PARITY_REGION, ZPL_PARITY_VPC_ID/,
    );
    const { ZPL_ALIBABA_ENDPOINT: _alibaba, ZPL_ZILLIZ_URL: _zilliz, ...real } = cloudEnv();
    await expect(runParity(options({ target: 'aliyun', env: real }))).rejects.toThrow(/never runs in CI/);
    const { ZPL_PARITY_SERVICE_ID: _service, ...noService } = cloudEnv();
    await expect(runParity(options({ target: 'aliyun', endpoint: true, env: noService }))).rejects.toBeInstanceOf(ParityRefusal);
    const calls = cloud.calls.calls.length;
    expect(calls).toBe(0);
  });

  it('npm run test:parity refuses the real clouds with exit code 2 naming what is missing', async () => {
    const run = promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'test/parity/main.ts', '--target', 'aliyun', '--report-dir', reportDir],
      {
        env: { PATH: process.env.PATH },
      },
    );
    await expect(run).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--target aliyun needs ALIBABA_CLOUD_ACCESS_KEY_ID'),
    });
  });
});
