import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ramPolicies } from '../deploy/policy.ts';
import { linkId } from '../shared/derived.ts';
import { PROVISION_FLOW } from '../shared/flows.ts';
import { parseLinkSpec } from '../shared/spec.ts';
import { roleAllowed } from '../shared/role-allowlist.ts';
import { roleSessionName } from '../shared/steps/run-as.ts';
import { DEMO } from '../local/emulators/fixtures.ts';
import { startStack, type Stack } from '../local/stack.ts';
import { isWrite } from './support/calls.ts';
import { demoSpec, finish } from './support/provision.ts';
import {
  accountOf as keyAccount,
  CUSTOMER,
  customerSeed as seed,
  customerSpec,
  EXTERNAL_ID,
  OPS_KEY,
  opsProfileHome,
  OTHER_ROLE,
  owned as held,
  ROLE,
  STEPS_KEY,
} from './support/customer-account.ts';
import { zplChild } from './support/zpl-cli.ts';

/**
 * A link provisioned into a customer's account from the platform's: the spec names the customer's
 * role (`assumeRole`), every step acts as that role, and each account holds only its own
 * resources. The deployment admits only the roles it lists, and STS holds the role's trust policy
 * and ExternalId.
 */

let stack: Stack;
const saved = process.env.ZPL_ASSUME_ROLES;
beforeAll(async () => {
  stack = await startStack({ stateDir: mkdtempSync(join(tmpdir(), 'zpl-stack-')), seed: seed(), functionCredentials: STEPS_KEY });
});
afterAll(() => stack.stop());
afterEach(() => {
  if (saved === undefined) delete process.env.ZPL_ASSUME_ROLES;
  else process.env.ZPL_ASSUME_ROLES = saved;
});

let runs = 0;
async function provision(spec: unknown, allowed: string) {
  // The deployment's allowlist, as s.yaml hands it to the step functions.
  process.env.ZPL_ASSUME_ROLES = allowed;
  stack.emulators.calls.calls.splice(0);
  const name = `xacct-${++runs}`;
  await stack.flows.start(PROVISION_FLOW, name, { spec });
  return { name, ...(await finish(stack, name)) };
}

const accountOf = (accessKeyId: string | undefined) => keyAccount(stack, accessKeyId);
const owned = (accountId: string) => held(stack, accountId);

describe('a link in another account, provisioned as the role its spec names', () => {
  it('every step acts as the role: one AssumeRole a run (its session named after the execution), everything made in the customer account', async () => {
    const platformBefore = owned(DEMO.accountId);
    const run = await provision(customerSpec(), `${ROLE}, acs:ram::*:role/unrelated`);
    expect(run.rec.status).toBe('Succeeded');
    expect(run.report).toMatchObject({ outcome: 'succeeded' });

    expect(owned(CUSTOMER)).toEqual({ securityGroups: 1, endpoints: 1, zones: 1 });
    expect(owned(DEMO.accountId)).toEqual(platformBefore);
    expect(stack.emulators.world.zilliz.allowlist.has(`${DEMO.projectId}|ali-${DEMO.region}|${CUSTOMER}`)).toBe(true);

    const calls = stack.emulators.calls.calls.filter((c) => c.service === 'alibaba');
    const assumed = calls.filter((c) => c.action === 'AssumeRole');
    expect(assumed).toHaveLength(1);
    expect(assumed[0]).toMatchObject({ ok: true, caller: STEPS_KEY.accessKeyId });
    expect(assumed[0]!.params).toMatchObject({ RoleArn: ROLE, RoleSessionName: run.name, ExternalId: EXTERNAL_ID });
    const others = calls.filter((c) => c.action !== 'AssumeRole');
    expect(others.length).toBeGreaterThan(20);
    for (const c of others) expect(accountOf(c.caller), `${c.product}.${c.action}`).toBe(CUSTOMER);
    // The account check asked STS as the role: the spec's accountId is the role's account.
    expect(others.filter((c) => c.action === 'GetCallerIdentity' && c.ok).length).toBeGreaterThan(0);
  });

  it('a role the deployment does not list is refused before any call (AssumeRole.NotAllowed)', async () => {
    const run = await provision(customerSpec({ arn: OTHER_ROLE }), ROLE);
    expect(run.rec.status).toBe('Failed');
    expect(run.report?.failed).toMatchObject({ step: 'Validate', code: 'AssumeRole.NotAllowed' });
    expect(run.report?.failed?.message).toContain('ZPL_ASSUME_ROLES');
    expect(stack.emulators.calls.calls.filter((c) => c.service === 'alibaba')).toEqual([]);
  });

  it("a spec whose accountId is not the role's: Validate's account check, asked as the role, refuses it before any write", async () => {
    const run = await provision(demoSpec({ assumeRole: { arn: ROLE, externalId: EXTERNAL_ID } }), ROLE);
    expect(run.rec.status).toBe('Failed');
    expect(run.report?.failed).toMatchObject({ step: 'Validate', code: 'Account.Mismatch' });
    expect(run.report?.failed?.message).toContain(`the spec names Alibaba Cloud account ${DEMO.accountId}`);
    expect(run.report?.failed?.message).toContain(`belong to account ${CUSTOMER}`);
    expect(stack.emulators.calls.calls.filter(isWrite)).toEqual([]);
  });

  it("STS holds the role's trust policy: a wrong ExternalId is NoPermission, and nothing is written", async () => {
    const run = await provision(customerSpec({ arn: ROLE, externalId: 'someone-else' }), ROLE);
    expect(run.rec.status).toBe('Failed');
    expect(run.report?.failed).toMatchObject({ step: 'Validate', code: 'NoPermission' });
    expect(run.report?.failed?.message).toContain('AssumeRole');
    const calls = stack.emulators.calls.calls.filter((c) => c.service === 'alibaba');
    expect(calls.every((c) => c.action === 'AssumeRole' && !c.ok)).toBe(true);
    expect(calls.filter(isWrite)).toEqual([]);
  });
});

describe('assumeRole in the spec, the allowlist, the session name and the grant', () => {
  it('the spec: a RAM role ARN, an ExternalId STS accepts', () => {
    expect(parseLinkSpec(customerSpec()).ok).toBe(true);
    const bad = parseLinkSpec(customerSpec({ arn: 'acs:ram::2234567890123456:user/alice', externalId: 'x' }));
    expect(bad.ok || bad.errors.map((e) => e.field).sort()).toEqual(['assumeRole.arn', 'assumeRole.externalId']);
  });

  it('RoleSessionName: the execution name in STS’s 2–64 characters of letters, digits and .@-_', () => {
    expect(roleSessionName('zpl-0c3730bbb610-p0001')).toBe('zpl-0c3730bbb610-p0001');
    expect(roleSessionName('ticket:INC/42 retry')).toBe('ticket-INC-42-retry');
    expect(roleSessionName('x'.repeat(80))).toHaveLength(64);
    expect(roleSessionName('a')).toBe('zpl-a');
  });

  it('the allowlist: exact ARNs and * wildcards, role names case-insensitive', () => {
    expect(roleAllowed([ROLE], ROLE)).toBe(true);
    expect(roleAllowed([ROLE], ROLE.toUpperCase().replace('ACS:RAM::', 'acs:ram::'))).toBe(true);
    expect(roleAllowed(['acs:ram::*:role/zpl-link'], ROLE)).toBe(true);
    expect(roleAllowed(['acs:ram::*:role/zpl-link'], OTHER_ROLE)).toBe(false);
    expect(roleAllowed([], ROLE)).toBe(false);
  });

  it('dist/ram/zpl-steps.json grants sts:AssumeRole on the listed roles only, and not at all without any', () => {
    const statements = (roles?: string[]) => ramPolicies({ assumeRoles: roles })['zpl-steps'].Statement;
    const granted = statements([OTHER_ROLE, ROLE]).filter((s) => s.Action.includes('sts:AssumeRole'));
    expect(JSON.parse(JSON.stringify(granted))).toEqual([{ Effect: 'Allow', Action: ['sts:AssumeRole'], Resource: [ROLE, OTHER_ROLE] }]);
    expect(JSON.stringify(statements())).not.toContain('sts:AssumeRole');
    expect(JSON.stringify(statements([]))).not.toContain('sts:AssumeRole');
  });
});

/** The CLI in a process of its own whose environment is `env` alone (no ALIBABA_CLOUD_* of this one). */
const zplWith = (env: Record<string, string>, args: string[]) => zplChild(args, { PATH: process.env.PATH ?? '', ...env });

describe('zpl plan --target local --profile: the CLI reads a customer link as its role', () => {
  it('a RAM user profile of ~/.aliyun/config.json takes on the spec’s role; with no credentials at all the CLI says where it looked', async () => {
    const home = opsProfileHome();
    const specFile = join(home, 'link.json');
    writeFileSync(specFile, JSON.stringify(customerSpec()));
    const env = {
      HOME: home,
      ZILLIZ_API_KEY: DEMO.zillizApiKey,
      ZPL_ALIBABA_ENDPOINT: stack.file.alibabaUrl,
      ZPL_ZILLIZ_URL: stack.file.zillizUrl,
    };
    stack.emulators.calls.calls.splice(0);
    const plan = await zplWith(env, ['plan', '-f', specFile, '--target', 'local', '--profile', 'ops', '--state-dir', join(home, '.zpl')]);
    expect(plan.stderr).toBe('');
    expect(plan.stdout).toContain(`plan for link ${linkId(customerSpec() as never)}`);
    expect(plan.stdout).not.toContain('cannot work');
    const assumed = stack.emulators.calls.calls.filter((c) => c.action === 'AssumeRole');
    expect(assumed).toHaveLength(1);
    expect(assumed[0]).toMatchObject({ ok: true, caller: OPS_KEY.accessKeyId });
    expect(assumed[0]!.params).toMatchObject({ RoleSessionName: `zpl-plan-${linkId(customerSpec() as never)}` });
    const reads = stack.emulators.calls.calls.filter((c) => c.service === 'alibaba' && c.action !== 'AssumeRole');
    for (const c of reads) expect(accountOf(c.caller), `${c.product}.${c.action}`).toBe(CUSTOMER);

    // The file's current profile (root) is not in it and the environment has no key: nothing to sign with.
    const none = await zplWith(env, ['plan', '-f', specFile, '--target', 'local', '--state-dir', join(home, '.zpl')]);
    expect(none.status).toBe(1);
    expect(none.stderr).toContain('no Alibaba Cloud credentials for the real clouds');
    expect(none.stderr).toContain('--profile');
  });
});
