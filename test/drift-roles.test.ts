import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deployTarget, deployVars } from '../deploy/deploy-vars.ts';
import { formatDrift } from '../cli/drift.ts';
import { JSON_OUTPUTS } from '../cli/json-output.ts';
import { MAX_PAGES_PER_RUN, planPages } from '../shared/drift/paging.ts';
import { MAX_DRIFT_ROLES, roleList } from '../shared/drift/roles.ts';
import { driftAskPrefix } from '../shared/drift/run-names.ts';
import type { DriftReport } from '../shared/drift/types.ts';
import { DRIFT_FLOW, PROVISION_FLOW } from '../shared/flows.ts';
import { DEMO } from '../local/emulators/fixtures.ts';
import { startStack, type Stack } from '../local/stack.ts';
import { edit } from './support/drift.ts';
import { zplAgainst } from './support/edge.ts';
import {
  accountOf,
  CUSTOMER,
  CUSTOMER_CIDR,
  customerSeed,
  customerSpec,
  EXTERNAL_ID,
  OTHER_ROLE,
  owned,
  ROLE,
  STEPS_KEY,
} from './support/customer-account.ts';
import { demoSpec, finish, finishFlow } from './support/provision.ts';

/**
 * Drift checks of links made in other accounts: the check names the accounts' roles (`roles`),
 * lists and reads each account as its role, reports each link with its account, and remediation
 * re-provisions in that account as that role. The deployment's allowlist admits the roles as it
 * does a link's `assumeRole`; a role STS refuses fails only its account's pages.
 */

let stack: Stack;
const saved = process.env.ZPL_ASSUME_ROLES;
let customerGroup: string;
let platformGroup: string;
beforeAll(async () => {
  stack = await startStack({ stateDir: mkdtempSync(join(tmpdir(), 'zpl-stack-')), seed: customerSeed(), functionCredentials: STEPS_KEY });
  process.env.ZPL_ASSUME_ROLES = ROLE;
  // One link in the platform's own account, one in the customer's (as its role).
  for (const [name, spec] of [
    ['own-link', demoSpec()],
    ['customer-link', customerSpec()],
  ] as const) {
    await stack.flows.start(PROVISION_FLOW, name, { spec });
    const run = await finish(stack, name);
    expect(run.rec.status, name).toBe('Succeeded');
    if (name === 'own-link') platformGroup = run.report!.securityGroupId!;
    else customerGroup = run.report!.securityGroupId!;
  }
}, 120_000);
afterAll(async () => {
  await stack.stop();
  if (saved === undefined) delete process.env.ZPL_ASSUME_ROLES;
  else process.env.ZPL_ASSUME_ROLES = saved;
});
afterEach(() => {
  process.env.ZPL_ASSUME_ROLES = ROLE;
});

let runs = 0;
async function driftRun(input: Record<string, unknown>) {
  stack.emulators.calls.calls.splice(0);
  const name = `drift-roles-${++runs}`;
  await stack.flows.start(DRIFT_FLOW, name, { regions: [DEMO.region], ...input });
  const rec = await finishFlow(stack, DRIFT_FLOW, name);
  const out = rec.output
    ? (JSON.parse(rec.output) as { report: DriftReport; remediation?: { result: { execution?: string } }[] })
    : undefined;
  return { name, rec, report: out?.report, remediation: out?.remediation };
}

const alibabaCalls = () => stack.emulators.calls.calls.filter((c) => c.service === 'alibaba');

describe('a drift check naming a customer account’s role', () => {
  it('finds a rule revoked by hand in the customer account, says which account, and remediation restores it there', async () => {
    // Prepare: the customer revokes zpl's rule on the customer's group, in their own console.
    await edit(stack, { op: 'revokeRule', securityGroupId: customerGroup, protocol: 'TCP', sourceCidr: CUSTOMER_CIDR });
    const before = { platform: owned(stack, DEMO.accountId), customer: owned(stack, CUSTOMER) };

    // Act: the check as the timer or `zpl drift --role` starts it.
    const check = await driftRun({ roles: [{ arn: ROLE, externalId: EXTERNAL_ID }], remediate: true });

    // Assess: both accounts checked, the customer's link reported in the customer's account.
    expect(check.rec.status).toBe('Succeeded');
    expect(check.report).toMatchObject({ checked: 2, drifted: 1, pages: 2, pagesFailed: 0, accounts: [DEMO.accountId, CUSTOMER] });
    const [link] = check.report!.links;
    expect(link).toMatchObject({ account: CUSTOMER, vpcId: customerSpec().vpcId });
    expect(link!.findings.map((f) => f.kind)).toContain('sg.rule_missing');
    const event = stack.edge.published.filter((e) => e.type === 'zpl.drift.detected').at(-1);
    expect(event).toMatchObject({ subject: link!.linkId, data: { account: CUSTOMER } });

    // The customer's account was read as the role, its session named after the drift run.
    const assumed = alibabaCalls().filter((c) => c.action === 'AssumeRole' && c.params?.RoleSessionName === check.name);
    expect(assumed.length).toBeGreaterThan(0);
    for (const c of assumed) {
      expect(c).toMatchObject({ ok: true, caller: STEPS_KEY.accessKeyId });
      expect(c.params).toMatchObject({ RoleArn: ROLE, ExternalId: EXTERNAL_ID });
    }
    const groupReads = alibabaCalls().filter((c) => c.action === 'DescribeSecurityGroups');
    expect(new Set(groupReads.map((c) => accountOf(stack, c.caller)))).toEqual(new Set([DEMO.accountId, CUSTOMER]));

    // Remediation: the provision flow re-run as the role, in the customer's account.
    const execution = check.remediation![0]!.result.execution!;
    const reprovision = await finish(stack, execution);
    // It took on the role for itself, its session named after it.
    expect(new Set(alibabaCalls().flatMap((c) => (c.action === 'AssumeRole' ? [c.params?.RoleSessionName] : [])))).toEqual(
      new Set([check.name, execution]),
    );
    expect(reprovision.rec.status).toBe('Succeeded');
    expect(JSON.parse(reprovision.rec.input).spec).toMatchObject({
      accountId: CUSTOMER,
      assumeRole: { arn: ROLE, externalId: EXTERNAL_ID },
    });
    const group = stack.emulators.world.ecs.securityGroups.get(customerGroup)!;
    expect(group.rules.some((r) => r.IpProtocol.toUpperCase() === 'TCP' && r.SourceCidrIp === CUSTOMER_CIDR)).toBe(true);
    expect({ platform: owned(stack, DEMO.accountId), customer: owned(stack, CUSTOMER) }).toEqual(before);
    expect(stack.emulators.world.ecs.securityGroups.get(platformGroup)!.accountId).toBe(DEMO.accountId);

    // And `zpl drift --role` finds both accounts clean now.
    const cli = await zplAgainst(stack, ['drift', '--json', '--role', `${ROLE},${EXTERNAL_ID}`]);
    expect(cli.stderr).toBe('');
    expect(cli.status).toBe(0);
    expect(JSON.parse(cli.stdout).report).toMatchObject({ checked: 2, drifted: 0, accounts: [DEMO.accountId, CUSTOMER] });
    // And as `zpl schema drift` documents it (the accounts included).
    expect(JSON_OUTPUTS.drift.safeParse(JSON.parse(cli.stdout)).error).toBeUndefined();
  }, 120_000);

  it('a role the deployment does not list refuses the run before any call (AssumeRole.NotAllowed)', async () => {
    const check = await driftRun({ roles: [{ arn: OTHER_ROLE }] });
    expect(check.rec.status).toBe('Failed');
    expect(check.rec.error?.detail).toContain('AssumeRole.NotAllowed');
    expect(check.rec.error?.detail).toContain('ZPL_ASSUME_ROLES');
    expect(alibabaCalls()).toEqual([]);
    // `zpl drift --role` says why, from the run's history (its output holds no report).
    const cli = await zplAgainst(stack, ['drift', '--role', OTHER_ROLE]);
    expect(cli.status).toBe(1);
    expect(cli.stderr).toMatch(/ended Failed without a report: .*AssumeRole\.NotAllowed/);
  }, 120_000);

  it('a role STS refuses fails only its account’s page, named in the report; the deployment’s own links are still checked', async () => {
    // Listed (a wildcard admits it), but the trust policy wants another ExternalId.
    process.env.ZPL_ASSUME_ROLES = `acs:ram::${CUSTOMER}:role/*`;
    const check = await driftRun({ roles: [{ arn: ROLE, externalId: 'someone-else' }] });
    expect(check.rec.status).toBe('Succeeded');
    expect(check.report).toMatchObject({
      checked: 1,
      drifted: 0,
      pages: 2,
      pagesFailed: 1,
      partial: true,
      failures: [{ region: DEMO.region, account: CUSTOMER, page: 1, of: 1, code: 'NoPermission' }],
    });
    expect(check.report!.failures![0]!.message).toContain('AssumeRole');
    // Nothing was read in the customer's account.
    expect(alibabaCalls().filter((c) => c.action !== 'AssumeRole' && accountOf(stack, c.caller) === CUSTOMER)).toEqual([]);
    expect(formatDrift(check.report!)).toContain(`page 1 of 1 in ${DEMO.region} in account ${CUSTOMER} failed: NoPermission`);
  });

  it('POST /v1/drift-checks takes roles: the run checks their accounts; other roles are another check', async () => {
    const post = async (body: unknown) => {
      const r = await fetch(`${stack.file.edgeUrl}/v1/drift-checks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.file.apiToken}` },
        body: JSON.stringify(body),
      });
      return { status: r.status, body: (await r.json()) as { execution: string; joined: boolean; error?: { code: string } } };
    };
    const roles = [{ arn: ROLE, externalId: EXTERNAL_ID }];
    const asked = await post({ regions: [DEMO.region], roles });
    expect(asked.status).toBe(202);
    expect(JSON.parse(stack.engine.engine.describeExecution(DRIFT_FLOW, asked.body.execution).input)).toMatchObject({ roles });
    const rec = await finishFlow(stack, DRIFT_FLOW, asked.body.execution);
    expect(JSON.parse(rec.output!).report).toMatchObject({ checked: 2, accounts: [DEMO.accountId, CUSTOMER] });
    // Another role set is another check's run, never joined to this one.
    const ask = { regions: [DEMO.region], remediate: false };
    expect(asked.body.execution.startsWith(driftAskPrefix({ ...ask, roles }))).toBe(true);
    expect(driftAskPrefix({ ...ask, roles })).not.toBe(driftAskPrefix(ask));
    expect(driftAskPrefix({ ...ask, roles: [] })).toBe(driftAskPrefix(ask));
    const bad = await post({ roles: [{ arn: `acs:ram::${CUSTOMER}:user/alice` }] });
    expect(bad.status).toBe(422);
    // A role the deployment does not list: refused before any run starts, as the steps would refuse it.
    const runs = stack.engine.engine.listExecutions(DRIFT_FLOW).length;
    const unlisted = await post({ roles: [{ arn: OTHER_ROLE }] });
    expect(unlisted).toMatchObject({ status: 403, body: { error: { code: 'role.not_allowed' } } });
    expect(stack.engine.engine.listExecutions(DRIFT_FLOW)).toHaveLength(runs);
    // The same for a link whose spec names one (POST /v1/links).
    const link = await fetch(`${stack.file.edgeUrl}/v1/links`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.file.apiToken}` },
      body: JSON.stringify(customerSpec({ arn: OTHER_ROLE })),
    });
    expect(link.status).toBe(403);
    expect(((await link.json()) as { error: { code: string; message: string } }).error).toMatchObject({
      code: 'role.not_allowed',
      message: expect.stringContaining('vars.assumeRoles'),
    });
  });

  it('each account is checked once: a second role of the same account, and a role in the deployment’s own, add no pages', async () => {
    process.env.ZPL_ASSUME_ROLES = `acs:ram::${CUSTOMER}:role/*,acs:ram::${DEMO.accountId}:role/*`;
    const check = await driftRun({
      roles: [
        { arn: ROLE, externalId: EXTERNAL_ID },
        { arn: `acs:ram::${CUSTOMER}:role/another-auditor` },
        { arn: `acs:ram::${DEMO.accountId}:role/zpl-self` },
      ],
    });
    expect(check.report).toMatchObject({ checked: 2, drifted: 0, pages: 2, accounts: [DEMO.accountId, CUSTOMER] });
    expect(new Set(alibabaCalls().flatMap((c) => (c.action === 'AssumeRole' ? [c.params?.RoleArn] : [])))).toEqual(new Set([ROLE]));
  });

  it('without roles the check covers the deployment’s own account alone, as before', async () => {
    const check = await driftRun({});
    expect(check.report).toMatchObject({ checked: 1, drifted: 0, pages: 1 });
    expect(check.report!.accounts).toBeUndefined();
    expect(alibabaCalls().filter((c) => c.action === 'AssumeRole')).toEqual([]);
  });
});

describe('roles as text, the page plan and the deployment’s vars', () => {
  it('`<arn>[,<externalId>],…`: an item after an ARN is its ExternalId; anything else is refused', () => {
    expect(roleList(`${ROLE},${EXTERNAL_ID}, ${OTHER_ROLE}`)).toEqual([{ arn: ROLE, externalId: EXTERNAL_ID }, { arn: OTHER_ROLE }]);
    expect(roleList('')).toEqual([]);
    expect(() => roleList(`tenant-42,${ROLE}`)).toThrow('not a role ARN');
    expect(() => roleList(`${ROLE},a,b`)).toThrow('"b"');
    expect(MAX_DRIFT_ROLES).toBe(MAX_PAGES_PER_RUN);
    // Each must be a role STS takes, as a link's assumeRole; and no more than a run checks.
    expect(() => roleList('acs:ram::123:role/short-account')).toThrow('acs:ram::123:role/short-account: arn');
    expect(() => roleList(`acs:ram::${CUSTOMER}:role/a"b`)).toThrow('arn');
    expect(() => roleList(`${ROLE},x`)).toThrow('externalId');
    const many = Array.from({ length: MAX_DRIFT_ROLES + 1 }, (_, i) => `acs:ram::${CUSTOMER}:role/r${i}`).join(',');
    expect(() => roleList(many)).toThrow(`at most ${MAX_DRIFT_ROLES}`);
  });

  it('pages per region and account: each account its own ranges, a failed account one page carrying its cause', () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => `zpl-${String(i).padStart(12, '0')}`);
    const plan = planPages(
      [
        { region: DEMO.region, account: DEMO.accountId, linkIds: ids(5) },
        { region: DEMO.region, account: CUSTOMER, role: { arn: ROLE }, linkIds: ids(3) },
        {
          region: DEMO.region,
          account: '3234567890123456',
          role: { arn: OTHER_ROLE },
          linkIds: [],
          failed: { code: 'NoPermission', message: 'x' },
        },
      ],
      { pageSize: 2, runAt: new Date(0).toISOString(), remediate: 'off' },
    );
    expect(plan.pages.map((p) => [p.account, p.page, p.of, p.from, p.to, p.role?.arn ?? null, p.failed?.code ?? null])).toEqual([
      [DEMO.accountId, 1, 3, null, ids(5)[2], null, null],
      [DEMO.accountId, 2, 3, ids(5)[2], ids(5)[4], null, null],
      [DEMO.accountId, 3, 3, ids(5)[4], null, null, null],
      [CUSTOMER, 1, 2, null, ids(3)[2], ROLE, null],
      [CUSTOMER, 2, 2, ids(3)[2], null, ROLE, null],
      ['3234567890123456', 1, 1, null, null, OTHER_ROLE, 'NoPermission'],
    ]);
    // Every page's share of the run's windows counts all accounts' pages.
    expect(new Set(plan.pages.map((p) => p.window))).toEqual(new Set([Math.ceil(25 / 6)]));
    // At most MAX_DRIFT_ROLES roles, each with the longest ExternalId STS takes: the pages stay far under CloudFlow's 64 KiB.
    const many = planPages(
      Array.from({ length: MAX_DRIFT_ROLES }, (_, i) => ({
        region: DEMO.region,
        account: CUSTOMER,
        role: { arn: `${ROLE}${i}`, externalId: 'e'.repeat(1224) },
        linkIds: ids(1000),
      })),
      { pageSize: 1000, runAt: new Date(0).toISOString(), remediate: 'on' },
    );
    expect(Buffer.byteLength(JSON.stringify(many.pages))).toBeLessThan(64 * 1024 * 0.5);
  });

  it('s.yaml vars.driftRoles: read once with the other vars; each must be a role vars.assumeRoles admits, written out', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zpl-vars-'));
    const file = (vars: string) => {
      const path = join(dir, `s-${++runs}.yaml`);
      writeFileSync(path, `vars:\n  accountId: '${DEMO.accountId}'\n${vars}`);
      return path;
    };
    const ok = file(`  assumeRoles: 'acs:ram::*:role/zpl-link'\n  driftRoles: '${ROLE},${EXTERNAL_ID}'\n`);
    expect(deployTarget(deployVars(ok), {}, ok).driftRoles).toEqual([{ arn: ROLE, externalId: EXTERNAL_ID }]);
    expect(deployVars(file('')).driftRoles).toEqual([]);
    const unlisted = file(`  assumeRoles: '${ROLE}'\n  driftRoles: '${OTHER_ROLE}'\n`);
    expect(() => deployTarget(deployVars(unlisted), {}, unlisted)).toThrow('vars.assumeRoles does not admit');
    const wildcard = file(`  assumeRoles: 'acs:ram::*:role/*'\n  driftRoles: 'acs:ram::*:role/zpl-link'\n`);
    expect(() => deployTarget(deployVars(wildcard), {}, wildcard)).toThrow('without wildcards');
  });
});
