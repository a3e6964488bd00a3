import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { needsGrant, ramAction, ramPolicies } from '../deploy/policy.ts';
import { startStack, type Stack } from '../local/stack.ts';
import type { Product } from '../shared/aliyun/products.ts';
import type { DoctorRunStatus } from '../shared/doctor/runs.ts';
import { DOCTOR_FLOW } from '../shared/flows.ts';
import { CUSTOMER, customerSeed, customerSpec, OTHER_ROLE, ROLE, STEPS_KEY } from './support/customer-account.ts';
import { CHECKS, reseedAccount, writesAt } from './support/doctor.ts';
import { demoSpec, finishFlow, startTestStack } from './support/provision.ts';

/**
 * `POST /v1/doctor` end to end: real HTTP to the API, the local engine running flows/doctor.yaml,
 * the zpl-doctor function under the steps' key against the emulators, and GET for the report.
 */

interface Started {
  execution: string;
  status: string;
  statusUrl: string;
}

const send = (s: Stack, method: string, path: string, body?: unknown, auth = true) =>
  fetch(`${s.file.edgeUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${s.file.apiToken}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

/** POST /v1/doctor, the run to its end on the engine, then GET its status URL. */
async function doctorOverHttp(s: Stack, spec: unknown): Promise<{ started: Started; run: DoctorRunStatus }> {
  const r = await send(s, 'POST', '/v1/doctor', spec);
  expect(r.status).toBe(202);
  const started = (await r.json()) as Started;
  expect(started.statusUrl).toBe(`/v1/doctor/${started.execution}`);
  await finishFlow(s, DOCTOR_FLOW, started.execution);
  const status = await send(s, 'GET', started.statusUrl);
  expect(status.status).toBe(200);
  return { started, run: (await status.json()) as DoctorRunStatus };
}

const reportOf = (run: DoctorRunStatus) => {
  expect(run, JSON.stringify(run)).toMatchObject({ status: 'done' });
  return (run as Extract<DoctorRunStatus, { status: 'done' }>).report;
};

describe('POST /v1/doctor on the local stack', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.stop());

  it('passes every check on a fresh stack, reading only, each call one the steps’ role is granted', async () => {
    stack.emulators.calls.calls.splice(0);
    const { started, run } = await doctorOverHttp(stack, demoSpec());
    expect(started.execution).toMatch(/^zpl-[0-9a-f]{12}-d[0-9a-z]+-[0-9a-f]{8}$/);
    const report = reportOf(run);
    expect(report.checks.map((c) => c.id)).toEqual(CHECKS);
    expect(report.checks.filter((c) => c.status !== 'pass')).toEqual([]);
    expect(report).toMatchObject({ ok: true, counts: { pass: CHECKS.length, warn: 0, fail: 0, skip: 0 } });
    expect(run.startedTime).toBeTruthy();
    expect(writesAt(stack)).toEqual([]);
    // Least privilege: the function runs as zpl-steps, and every action it called is granted there (RAM GetRole included).
    const granted = new Set(ramPolicies()['zpl-steps'].Statement.flatMap((st) => st.Action));
    const calls = stack.emulators.calls.calls.filter((c) => c.service === 'alibaba');
    expect(calls.map((c) => c.action)).toContain('GetRole');
    for (const c of calls.filter((c) => needsGrant(c.product as Product, c.action)))
      expect(granted, `${c.product}.${c.action}`).toContain(ramAction(c.product as Product, c.action as never));
  });

  it('reports the failing check when the account is seeded so (PrivateLink not activated), still writing nothing', async () => {
    await reseedAccount(stack, { privateLinkOpened: false });
    const report = reportOf((await doctorOverHttp(stack, demoSpec())).run);
    expect(report.ok).toBe(false);
    expect(report.checks.filter((c) => c.status === 'fail')).toEqual([
      {
        id: 'privatelink.activated',
        status: 'fail',
        detail: 'PrivateLink is not activated for this account',
        fix: expect.stringMatching(/aliyun privatelink OpenPrivateLinkService --region cn-hangzhou/),
      },
    ]);
    expect(writesAt(stack)).toEqual([]);
    await reseedAccount(stack, { privateLinkOpened: true });
  });

  it('is authenticated like every route: 401 without a token, for the POST and the GET', async () => {
    const before = (await stack.flows.list(DOCTOR_FLOW)).length;
    const post = await send(stack, 'POST', '/v1/doctor', demoSpec(), false);
    expect(post.status).toBe(401);
    expect(((await post.json()) as { error: { code: string } }).error.code).toBe('auth.missing');
    expect((await send(stack, 'GET', '/v1/doctor/zpl-000000000000-d1-00000000', undefined, false)).status).toBe(401);
    expect(await stack.flows.list(DOCTOR_FLOW)).toHaveLength(before);
  });

  it('refuses a bad spec before starting anything, with field errors as POST /v1/links gives them', async () => {
    const before = (await stack.flows.list(DOCTOR_FLOW)).length;
    const bad = { ...demoSpec(), vpcId: 'not-a-vpc' };
    const [doctor, links] = await Promise.all([send(stack, 'POST', '/v1/doctor', bad), send(stack, 'POST', '/v1/links', bad)]);
    expect(doctor.status).toBe(422);
    const body = (await doctor.json()) as { error: { code: string; fields: { field: string }[] } };
    expect(body.error.code).toBe('spec.invalid');
    expect(body.error.fields.map((f) => f.field)).toEqual(['vpcId']);
    expect(body).toEqual(await links.json());
    expect(await stack.flows.list(DOCTOR_FLOW)).toHaveLength(before);
  });

  it('answers 404 for a doctor run that does not exist, 400 for a name that cannot be one', async () => {
    expect((await send(stack, 'GET', '/v1/doctor/zpl-000000000000-d1-00000000')).status).toBe(404);
    expect((await send(stack, 'GET', '/v1/doctor/not%20a%20name')).status).toBe(400);
  });
});

describe('POST /v1/doctor for a spec with assumeRole: as the role, through the steps’ run-as path', () => {
  let stack: Stack;
  const saved = process.env.ZPL_ASSUME_ROLES;
  beforeAll(async () => {
    stack = await startStack({ stateDir: mkdtempSync(join(tmpdir(), 'zpl-stack-')), seed: customerSeed(), functionCredentials: STEPS_KEY });
    // The deployment's allowlist, as s.yaml hands it to the step functions (ZPL_ASSUME_ROLES).
    process.env.ZPL_ASSUME_ROLES = ROLE;
  });
  afterAll(() => stack.stop());
  afterEach(() => {
    if (saved === undefined) delete process.env.ZPL_ASSUME_ROLES;
    else process.env.ZPL_ASSUME_ROLES = saved;
  });

  it("takes on the listed role with the function's key (session: the execution) and reads the customer's account", async () => {
    process.env.ZPL_ASSUME_ROLES = ROLE;
    stack.emulators.calls.calls.splice(0);
    const { started, run } = await doctorOverHttp(stack, customerSpec());
    const report = reportOf(run);
    expect(report.checks.filter((c) => c.status !== 'pass')).toEqual([]);
    expect(report.checks.map((c) => c.id)).toEqual(['assume-role', ...CHECKS]);
    expect(report.checks.find((c) => c.id === 'account')!.detail).toContain(`account ${CUSTOMER} as the spec says`);
    const calls = stack.emulators.calls.calls.filter((c) => c.service === 'alibaba');
    const assumed = calls.filter((c) => c.action === 'AssumeRole');
    expect(assumed).toHaveLength(1);
    expect(assumed[0]).toMatchObject({ ok: true, caller: STEPS_KEY.accessKeyId, params: { RoleSessionName: started.execution } });
    for (const c of calls.filter((c) => c.action !== 'AssumeRole'))
      expect(stack.emulators.world.accessKeys.get(c.caller!)?.accountId, `${c.product}.${c.action}`).toBe(CUSTOMER);
    expect(writesAt(stack)).toEqual([]);
  });

  it('a role the deployment does not list is the one failing check; the Alibaba checks are reported as not run', async () => {
    process.env.ZPL_ASSUME_ROLES = ROLE;
    stack.emulators.calls.calls.splice(0);
    const report = reportOf((await doctorOverHttp(stack, customerSpec({ arn: OTHER_ROLE }))).run);
    expect(report.checks[0]).toMatchObject({
      id: 'assume-role',
      status: 'fail',
      detail: expect.stringMatching(/^AssumeRole\.NotAllowed: this deployment may not act as/),
      fix: `add ${OTHER_ROLE} to s.yaml vars.assumeRoles and redeploy`,
    });
    expect(report.counts).toEqual({ pass: 3, warn: 0, fail: 1, skip: 9 });
    // Refused before any call to Alibaba Cloud.
    expect(stack.emulators.calls.calls.filter((c) => c.service === 'alibaba')).toEqual([]);
  });
});
