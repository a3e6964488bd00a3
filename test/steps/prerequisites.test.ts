import { describe, expect, it } from 'vitest';
import { ramPolicies } from '../../deploy/policy.ts';
import { DEMO } from '../../local/emulators/fixtures.ts';
import { ADMIN_PREFIX } from '../../local/emulators/admin.ts';
import { ensureEndpoint } from '../../shared/steps/ensure-endpoint.ts';
import { callsOf, failure, FAST, seedWith, shape, spec, worlds } from './support.ts';

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
    expect(failed.message).toContain('AliyunServiceRoleForPrivateLink');
    const refused = callsOf(w.emu.calls.calls, 'CreateVpcEndpoint');
    expect(refused.map((c) => ({ ok: c.ok, code: c.code, httpStatus: c.httpStatus }))).toEqual([{ ok: false, code: 'CheckServiceLinkRoleError', httpStatus: 400 }]);
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
        accounts: [{ accountId: DEMO.accountId, privateLinkServiceLinkedRole: false, accessKeys: [{ accessKeyId: DEMO.accessKeyId, accessKeySecret: DEMO.accessKeySecret }] }],
      }),
    });
    expect(res.status).toBe(200);
    expect((await failure(w.call(ensureEndpoint, s, state), 'EnsureEndpoint')).code).toBe('Account.PrivateLinkRoleMissing');
  });

  it('the steps’ RAM policy may create that one service-linked role and no other', () => {
    const statements = ramPolicies()['zpl-steps'].Statement;
    const grants = statements.filter((st) => st.Action.includes('ram:CreateServiceLinkedRole'));
    expect(grants).toEqual([
      { Effect: 'Allow', Action: ['ram:CreateServiceLinkedRole'], Resource: '*', Condition: { StringEquals: { 'ram:ServiceName': 'privatelink.aliyuncs.com' } } },
    ]);
    expect(statements.some((st) => st.Action.some((a) => a.startsWith('ram:')) && !st.Condition)).toBe(false);
  });
});
