import { readWorld } from '../../shared/steps/validate.ts';
import { describe, expect, it } from 'vitest';
import { ramPolicies } from '../../deploy/policy.ts';
import { DEMO } from '../../local/emulators/fixtures.ts';
import { ADMIN_PREFIX } from '../../local/emulators/admin.ts';
import type { SeedInput } from '../../local/emulators/fixtures.ts';
import { ensureEndpoint } from '../../shared/steps/ensure-endpoint.ts';
import { demoSpec, provision, startTestStack } from '../support/provision.ts';
import { actions, callsOf, failure, FAST, seedWith, shape, spec, worlds, writes } from './support.ts';

/** A fresh account: PrivateLink's service-linked role is missing until PrivateLink is activated. */

const open = worlds();

describe('an account without PrivateLink’s service-linked role', () => {
  it('EnsureEndpoint fails for good with the fix; the emulator answers CheckServiceLinkRoleError (HTTP 400)', async () => {
    const seed = seedWith((x) => {
      x.accounts![0]!.privateLinkServiceLinkedRole = false;
    });
    const w = await open({ seed, timings: FAST });
    const s = spec();
    const state = await w.provisionThrough('EnsureSecurityGroup', s);
    const failed = await failure(w.call(ensureEndpoint, s, state), 'EnsureEndpoint');
    expect(failed).toEqual({
      step: 'EnsureEndpoint',
      code: 'Account.PrivateLinkRoleMissing',
      message: expect.stringContaining('CreateServiceLinkedRole --ServiceName privatelink.aliyuncs.com'),
    });
    // The role as PrivateLink's documentation spells it (AliyunServiceRoleForPrivatelink, lower-case l: prerequisites.ts).
    expect(failed.message).toContain('AliyunServiceRoleForPrivatelink');
    const refused = callsOf(w.emu.calls.calls, 'CreateVpcEndpoint');
    expect(refused.map((c) => ({ ok: c.ok, code: c.code, httpStatus: c.httpStatus }))).toEqual([
      { ok: false, code: 'CheckServiceLinkRoleError', httpStatus: 400 },
    ]);
    expect(shape(w.emu).endpoints).toBe(0);
  });

  it('the admin API seeds such an account on a running emulator', async () => {
    const w = await open({ timings: FAST });
    const s = spec();
    const state = await w.provisionThrough('EnsureSecurityGroup', s);
    const res = await fetch(`${w.emu.alibabaUrl}${ADMIN_PREFIX}/seed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        accounts: [
          {
            accountId: DEMO.accountId,
            privateLinkServiceLinkedRole: false,
            accessKeys: [{ accessKeyId: DEMO.accessKeyId, accessKeySecret: DEMO.accessKeySecret }],
          },
        ],
      }),
    });
    expect(res.status).toBe(200);
    expect((await failure(w.call(ensureEndpoint, s, state), 'EnsureEndpoint')).code).toBe('Account.PrivateLinkRoleMissing');
  });

  it('the steps’ RAM policy may create that one service-linked role and no other', () => {
    const statements = ramPolicies()['zpl-steps'].Statement;
    const grants = statements.filter((st) => st.Action.includes('ram:CreateServiceLinkedRole'));
    expect(grants).toEqual([
      {
        Effect: 'Allow',
        Action: ['ram:CreateServiceLinkedRole'],
        Resource: '*',
        Condition: { StringEquals: { 'ram:ServiceName': 'privatelink.aliyuncs.com' } },
      },
    ]);
    // Was: no RAM action without a Condition. The doctor's ram:GetRole is scoped by its Resource,
    // PrivateLink’s service-linked role alone: none on `*`.
    expect(statements.some((st) => st.Action.some((a) => a.startsWith('ram:')) && !st.Condition && st.Resource === '*')).toBe(false);
    expect(statements.filter((st) => st.Action.some((a) => a.startsWith('ram:')) && !st.Condition)).toEqual([
      { Effect: 'Allow', Action: ['ram:GetRole'], Resource: 'acs:ram::*:role/AliyunServiceRoleForPrivatelink' },
    ]);
  });
});

/**
 * PrivateLink and PrivateZone must be activated for the account (CheckProductOpen; the SDK's
 * DescribeUserServiceStatus). Validate reads both before any write and names the fix.
 */
type Standing = { privateLinkOpened?: boolean; privateZoneStatus?: 'CLOSED' | 'OPENED' | 'IN_DEBT' | 'IN_DEBT_OVER_DUE' };

const NOT_USABLE: [string, Standing, string[]][] = [
  [
    'PrivateLink not activated',
    { privateLinkOpened: false },
    ['PrivateLink is not activated for this account', 'aliyun privatelink OpenPrivateLinkService --region cn-hangzhou'],
  ],
  ['PrivateZone CLOSED', { privateZoneStatus: 'CLOSED' }, ['PrivateZone is not activated for this account', 'activate it in the console']],
  ['PrivateZone IN_DEBT', { privateZoneStatus: 'IN_DEBT' }, ['PrivateZone has an overdue payment', 'settle the payment']],
  [
    'PrivateZone IN_DEBT_OVER_DUE',
    { privateZoneStatus: 'IN_DEBT_OVER_DUE' },
    ['PrivateZone is suspended in this account for an overdue payment'],
  ],
];

const standingSeed = (standing: Standing): SeedInput => seedWith((x) => Object.assign(x.accounts![0]!, standing));

/** The admin API's account entry: the demo account and its key, with `standing` (the rest keeps its defaults). */
const adminAccount = (standing: Standing) => ({
  accounts: [
    { accountId: DEMO.accountId, ...standing, accessKeys: [{ accessKeyId: DEMO.accessKeyId, accessKeySecret: DEMO.accessKeySecret }] },
  ],
});

async function adminSeed(url: string, body: unknown) {
  const res = await fetch(`${url}${ADMIN_PREFIX}/seed`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
}

describe('an account where PrivateLink or PrivateZone is not usable', () => {
  it.each(NOT_USABLE)('%s: the run stops at Validate with the fix, and nothing is written anywhere', async (_, standing, says) => {
    const w = await open({ seed: standingSeed(standing), timings: FAST });
    const failed = await failure(w.provisionThrough('EnsureEndpoint', spec()), 'Validate');
    expect(failed).toMatchObject({ step: 'Validate', code: 'Spec.CannotWork' });
    for (const words of says) expect(failed.message).toContain(words);
    expect(writes(w.emu.calls.calls)).toEqual([]);
  });

  it('both problems at once are both named', async () => {
    const w = await open({ seed: standingSeed({ privateLinkOpened: false, privateZoneStatus: 'CLOSED' }), timings: FAST });
    const failed = await failure(w.provisionThrough('Validate', spec()), 'Validate');
    expect(failed.message).toContain('PrivateLink is not activated');
    expect(failed.message).toContain('PrivateZone is not activated');
  });

  it('an unreadable PrivateZone service status (an action known from the SDKs only) is a warning, not a stop', async () => {
    const w = await open({ timings: FAST });
    w.emu.faults.add({ target: 'DescribeUserServiceStatus', kind: 'error', code: 'InvalidAction.NotFound', httpStatus: 404, count: 1 });
    const view = await readWorld(spec(), w.deps);
    expect(view.problems).toEqual([]);
    expect(view.warnings).toEqual([expect.stringContaining("could not read PrivateZone's service status (InvalidAction.NotFound)")]);
    expect(callsOf(w.emu.calls.calls, 'DescribeUserServiceStatus')[0]).toMatchObject({ ok: false, code: 'InvalidAction.NotFound' });
    // The step itself passes (it throws on any problem).
    w.emu.faults.add({ target: 'DescribeUserServiceStatus', kind: 'error', code: 'InvalidAction.NotFound', httpStatus: 404, count: 1 });
    expect((await w.provisionThrough('Validate', spec())).serviceName).toBeTruthy();
  });

  it('a default account passes Validate after reading both', async () => {
    const w = await open({ timings: FAST });
    await w.provisionThrough('Validate', spec());
    expect(actions(w.emu.calls.calls)).toEqual(expect.arrayContaining(['CheckProductOpen', 'DescribeUserServiceStatus']));
    expect(callsOf(w.emu.calls.calls, 'CheckProductOpen')[0]).toMatchObject({ ok: true, params: {} });
  });

  it('the emulator answers NeedOpenProduct (HTTP 400) to CheckProductOpen and to PrivateLink writes while PrivateLink is not activated (seeded through the admin API); EnsureEndpoint names the fix', async () => {
    const w = await open({ timings: FAST });
    const s = spec();
    const state = await w.provisionThrough('EnsureSecurityGroup', s);
    await adminSeed(w.emu.alibabaUrl, adminAccount({ privateLinkOpened: false }));
    await expect(w.deps.aliyun.privateLink.productOpen()).resolves.toBe(false);
    const failed = await failure(w.call(ensureEndpoint, s, state), 'EnsureEndpoint');
    expect(failed).toMatchObject({ code: 'Account.PrivateLinkNotActivated', message: expect.stringContaining('OpenPrivateLinkService') });
    const refused = [...callsOf(w.emu.calls.calls, 'CheckProductOpen'), ...callsOf(w.emu.calls.calls, 'CreateVpcEndpoint')].filter(
      (c) => !c.ok,
    );
    expect(refused.map((c) => [c.action, c.code, c.httpStatus])).toEqual([
      ['CheckProductOpen', 'NeedOpenProduct', 400],
      ['CreateVpcEndpoint', 'NeedOpenProduct', 400],
    ]);
    expect(shape(w.emu).endpoints).toBe(0);
  });

  it.each(NOT_USABLE)(
    '%s, seeded through the admin API on a running stack: the provision run reports the failure at Validate and writes nothing',
    async (_, standing, says) => {
      const stack = await startTestStack({ timings: FAST });
      try {
        await adminSeed(stack.emulators.alibabaUrl, adminAccount(standing));
        const since = stack.emulators.calls.calls.length;
        const run = await provision(stack, demoSpec());
        expect(run.report?.failed).toMatchObject({ step: 'Validate', code: 'Spec.CannotWork', message: expect.stringContaining(says[0]!) });
        expect(run.steps).toContain('Report');
        expect(writes(stack.emulators.calls.calls.slice(since))).toEqual([]);
      } finally {
        await stack.stop();
      }
    },
  );
});
