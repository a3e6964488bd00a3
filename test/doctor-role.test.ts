import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../local/emulators/fixtures.ts';
import { startStack, type Stack } from '../local/stack.ts';
import { linkId } from '../shared/derived.ts';
import type { DoctorReport } from '../shared/doctor/report.ts';
import { requireLinkSpec } from '../shared/spec.ts';
import { isWrite } from './support/calls.ts';
import { CUSTOMER, customerSeed, customerSpec, EXTERNAL_ID, OPS_KEY, opsProfileHome, ROLE } from './support/customer-account.ts';
import { CHECKS } from './support/doctor.ts';
import { demoSpec } from './support/provision.ts';
import { zplChild } from './support/zpl-cli.ts';

/**
 * `zpl doctor` checks a spec with `assumeRole` as its run would act: the role first (one check),
 * then every check as the role; a refused role is one failing check and the Alibaba checks are
 * not run. `--profile` picks the key for `--target aliyun` and is refused for the stack.
 */

const OTHER_CHECKS = ['quota.zones-per-endpoint', 'zilliz.project', 'zilliz.clusters'];
// The checks that read Alibaba Cloud, as the role.
const ALIBABA_CHECKS = CHECKS.filter((c) => !OTHER_CHECKS.includes(c));

let stack: Stack;
let home: string;
const stateDir = mkdtempSync(join(tmpdir(), 'zpl-stack-'));
beforeAll(async () => {
  stack = await startStack({ stateDir, seed: customerSeed() });
  home = opsProfileHome();
});
afterAll(() => stack.stop());

const accountOf = (accessKeyId: string | undefined) =>
  accessKeyId ? stack.emulators.world.accessKeys.get(accessKeyId)?.accountId : undefined;

/** `zpl doctor --json` on the real-cloud target pointed at the emulators, the key from `--profile ops`, for `spec`. */
async function doctor(
  spec: unknown,
  extra: string[] = ['--target', 'aliyun', '--profile', 'ops'],
  envOverride: Record<string, string> = {},
) {
  const file = join(home, `link-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(spec));
  stack.emulators.calls.calls.splice(0);
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: home,
    ZILLIZ_API_KEY: DEMO.zillizApiKey,
    ZPL_ALIBABA_ENDPOINT: stack.file.alibabaUrl,
    ZPL_ZILLIZ_URL: stack.file.zillizUrl,
    ...envOverride,
  };
  const run = await zplChild(['doctor', '-f', file, '--json', '--state-dir', stateDir, ...extra], env);
  const calls = stack.emulators.calls.calls.filter((c) => c.service === 'alibaba');
  // Reads and dry runs only, as the role or not.
  expect(calls.filter((c) => isWrite(c) && c.params?.DryRun !== true)).toEqual([]);
  return { ...run, calls, report: run.stdout ? (JSON.parse(run.stdout) as DoctorReport) : undefined };
}

describe('zpl doctor as the spec’s role (--target aliyun --profile ops)', () => {
  it('takes the role once (session zpl-doctor-<linkId>) with the profile’s key, then every Alibaba read is the customer account’s', async () => {
    const spec = customerSpec();
    const { status, stderr, report, calls } = await doctor(spec);
    expect(stderr).toBe('');
    expect(report!.checks.filter((c) => c.status !== 'pass')).toEqual([]);
    expect(status).toBe(0);
    expect(report!.checks[0]).toEqual({
      id: 'assume-role',
      status: 'pass',
      detail: `acting as ${ROLE} (session zpl-doctor-${linkId(requireLinkSpec(spec))}), as the run's steps would, with the spec’s ExternalId`,
    });
    expect(report!.checks.find((c) => c.id === 'account')!.detail).toContain(`account ${CUSTOMER} as the spec says`);
    const assumed = calls.filter((c) => c.action === 'AssumeRole');
    expect(assumed).toHaveLength(1);
    expect(assumed[0]).toMatchObject({ ok: true, caller: OPS_KEY.accessKeyId });
    expect(assumed[0]!.params).toMatchObject({ RoleSessionName: `zpl-doctor-${linkId(requireLinkSpec(spec))}`, ExternalId: EXTERNAL_ID });
    const reads = calls.filter((c) => c.action !== 'AssumeRole');
    expect(reads.length).toBeGreaterThan(5);
    for (const c of reads) expect(accountOf(c.caller), `${c.product}.${c.action}`).toBe(CUSTOMER);
  });

  it('a role STS refuses (wrong ExternalId) is one failing check with its fix; the Alibaba checks are not run, the rest are', async () => {
    const { status, report, calls } = await doctor(customerSpec({ arn: ROLE, externalId: 'someone-else' }));
    expect(status).toBe(1);
    expect(report!.checks[0]).toMatchObject({
      id: 'assume-role',
      status: 'fail',
      detail: expect.stringMatching(new RegExp(`^STS refused to let this identity take on ${ROLE} \\(NoPermission\\)`)),
      fix: expect.stringMatching(
        /trust policy must name this identity's account with an sts:ExternalId condition equal to assumeRole\.externalId/,
      ),
    });
    expect(report!.checks.filter((c) => c.status === 'skip').map((c) => c.id)).toEqual(ALIBABA_CHECKS);
    expect(report!.checks.find((c) => c.id === 'account')!.detail).toBe(
      `not run: it reads as ${ROLE}, which could not be taken on (assume-role)`,
    );
    expect(report!.checks.filter((c) => c.status === 'pass').map((c) => c.id)).toEqual(OTHER_CHECKS);
    expect(report!.counts).toEqual({ pass: 3, warn: 0, fail: 1, skip: 9 });
    // One AssumeRole, and no read of Alibaba Cloud with the caller's own key.
    expect(calls.map((c) => [c.action, c.ok])).toEqual([['AssumeRole', false]]);
  });

  it('without any Alibaba key the report still comes: the account check fails naming the chain, the Zilliz checks run', async () => {
    const { status, report, calls } = await doctor(demoSpec(), ['--target', 'aliyun'], { HOME: mkdtempSync(join(tmpdir(), 'zpl-nokey-')) });
    expect(status).toBe(1);
    expect(report!.checks.find((c) => c.id === 'account')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('NoCredentials'),
    });
    expect(report!.checks.filter((c) => c.id.startsWith('zilliz.')).map((c) => c.status)).toEqual(['pass', 'pass']);
    expect(calls).toEqual([]);
  });

  it("compares the role's account with the spec's: a spec naming the platform's account fails the account check", async () => {
    const { status, report } = await doctor(
      demoSpec({ vpcId: 'vpc-bp1customer0000000001', assumeRole: { arn: ROLE, externalId: EXTERNAL_ID } }),
    );
    expect(status).toBe(1);
    expect(report!.checks.find((c) => c.id === 'account')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(new RegExp(`belong to account ${CUSTOMER}, not the spec's ${DEMO.accountId}$`)),
    });
    expect(report!.checks[0]).toMatchObject({ id: 'assume-role', status: 'pass' });
  });

  it('on the local stack the command signs with the stack’s key: a root key may not take on a role, said once', async () => {
    const { status, report, calls } = await doctor(customerSpec(), []);
    expect(status).toBe(1);
    expect(report!.checks[0]).toMatchObject({
      id: 'assume-role',
      status: 'fail',
      detail: expect.stringContaining('Roles may not be assumed by root accounts'),
    });
    expect(calls.map((c) => c.action)).toEqual(['AssumeRole']);
  });

  it('--profile is refused for --target stack, which signs with its own key', async () => {
    const { status, stderr, stdout } = await doctor(customerSpec(), ['--profile', 'ops']);
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('--profile applies to --target aliyun only: the local stack signs with its own key (zpl up)');
  });
});
