import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as popCore from '@alicloud/pop-core';
import { stringify } from 'yaml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cjsClass } from '../shared/interop.ts';
import { TEARDOWN_FLOW } from '../shared/flows.ts';
import { DEMO } from '../local/emulators/fixtures.ts';
import type { Stack } from '../local/stack.ts';
import { isWrite } from './support/calls.ts';
import { deliverTicket, zplAgainst } from './support/edge.ts';
import { metadata, schemaPaths } from './support/metadata.ts';
import { demoSpec, finish, startTestStack } from './support/provision.ts';
import { startTestWorld, type TestWorld } from './support/stack.ts';

/**
 * The spec's accountId against the account of the credentials in use (STS GetCallerIdentity):
 * the emulated STS answers for every kind of key, and a spec naming another account is refused
 * before any write, through the CLI, the API, a ticket and teardown.
 */

const OTHER_ACCOUNT = '2234567890123456';

/** Every field path of an answer, in the metadata's notation (flat answers here). */
const fields = (body: Record<string, unknown>) => Object.keys(body);

describe('the emulated STS: GetCallerIdentity answers for the key that signed the call', () => {
  let w: TestWorld;
  beforeAll(async () => {
    w = await startTestWorld();
    w.emu.world.seed({
      accounts: [
        {
          accountId: DEMO.accountId,
          accessKeys: [
            { accessKeyId: 'LTAI5tRamUserKey000001', accessKeySecret: 'user-secret', ramUser: 'zpl-operator' },
            {
              accessKeyId: 'STS.NTestSessionKey0001',
              accessKeySecret: 'session-secret',
              role: { roleName: 'zpl-steps', sessionName: 'fc-1' },
            },
          ],
        },
      ],
    });
  });
  afterAll(() => w.emu.close());

  const official = schemaPaths(metadata('Sts').apis.GetCallerIdentity!.responses['200'].schema);

  it("the account's own key: Account, its ID as UserId and PrincipalId, only fields the metadata declares", async () => {
    const answer = await w.transport().call('Sts', 'GetCallerIdentity', DEMO.region, {});
    expect(answer).toMatchObject({ IdentityType: 'Account', AccountId: DEMO.accountId, Arn: `acs:ram::${DEMO.accountId}:root` });
    const raw = w.emu.calls.calls.at(-1)!;
    expect(raw).toMatchObject({ product: 'Sts', action: 'GetCallerIdentity', ok: true, caller: DEMO.accessKeyId });
    for (const f of fields(answer)) expect(official, f).toContain(f);
    // STS honours the per-product endpoint override as every product does (never sts.<region>.aliyuncs.com here).
    const viaOverride = w.transport({ endpoint: undefined, endpoints: { Sts: w.emu.alibabaUrl } });
    await expect(viaOverride.call('Sts', 'GetCallerIdentity', DEMO.region, {})).resolves.toMatchObject({ AccountId: DEMO.accountId });
  });

  it("a RAM user's key (V3) and a role session's key with its SecurityToken (pop-core V1): RAMUser and AssumedRoleUser", async () => {
    const user = await w
      .transport({ credentials: { accessKeyId: 'LTAI5tRamUserKey000001', accessKeySecret: 'user-secret' } })
      .call('Sts', 'GetCallerIdentity', DEMO.region, {});
    expect(user).toMatchObject({ IdentityType: 'RAMUser', AccountId: DEMO.accountId, Arn: `acs:ram::${DEMO.accountId}:user/zpl-operator` });
    expect(user).not.toHaveProperty('RoleId');

    const RPCClient = cjsClass<
      new (config: unknown) => { request(action: string, params: object, opts?: object): Promise<Record<string, unknown>> }
    >(popCore.default ?? popCore);
    const session = await new RPCClient({
      accessKeyId: 'STS.NTestSessionKey0001',
      accessKeySecret: 'session-secret',
      securityToken: 'token-of-the-session',
      endpoint: w.emu.alibabaUrl,
      apiVersion: '2015-04-01',
    }).request('GetCallerIdentity', {}, { method: 'POST' });
    expect(session).toMatchObject({
      IdentityType: 'AssumedRoleUser',
      AccountId: DEMO.accountId,
      Arn: `acs:ram::${DEMO.accountId}:role/zpl-steps/fc-1`,
      PrincipalId: expect.stringMatching(/^\d+:fc-1$/),
      RoleId: expect.stringMatching(/^\d+$/),
    });
    expect(session).not.toHaveProperty('UserId');
    for (const f of fields(session)) expect(official, f).toContain(f);
  });

  it('an unknown key is refused as every other action is (InvalidAccessKeyId.NotFound)', async () => {
    await expect(
      w
        .transport({
          credentials: { accessKeyId: 'LTAI5tNobody', accessKeySecret: 'x' },
          retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
        })
        .call('Sts', 'GetCallerIdentity', DEMO.region, {}),
    ).rejects.toMatchObject({ code: 'InvalidAccessKeyId.NotFound' });
  });
});

describe('a spec naming another account than the credentials’ is refused before any write', () => {
  let stack: Stack;
  let mark = 0;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.stop());
  afterEach(() => {
    // Nothing was written for it, and Zilliz never heard of the other account.
    const since = stack.emulators.calls.calls.filter((c) => c.seq > mark);
    expect(since.filter(isWrite).map((c) => c.action)).toEqual([]);
    expect([...stack.emulators.world.zilliz.allowlist].filter((k) => k.endsWith(`|${OTHER_ACCOUNT}`))).toEqual([]);
  });
  const begin = () => {
    mark = stack.emulators.calls.calls.at(-1)?.seq ?? 0;
  };
  const foreign = () => demoSpec({ accountId: OTHER_ACCOUNT });
  const naming = new RegExp(`account ${OTHER_ACCOUNT}.*account ${DEMO.accountId}`);

  const zpl = (args: string[]) => zplAgainst(stack, args);
  const specFile = () => {
    const file = join(mkdtempSync(join(tmpdir(), 'zpl-acct-')), 'link.yaml');
    writeFileSync(file, stringify(foreign()));
    return file;
  };

  it('zpl apply --follow: Validate fails with Account.Mismatch naming both accounts, exit 1', async () => {
    begin();
    const r = await zpl(['apply', '-f', specFile(), '--follow']);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/✗ Validate/);
    expect(r.stdout).toContain('Failed at Validate: Account.Mismatch');
    expect(r.stdout).toMatch(naming);
  }, 120_000);

  it('zpl plan says it cannot work and why (exit 2), reading nothing but who the caller is', async () => {
    begin();
    const r = await zpl(['plan', '-f', specFile()]);
    expect(r.status).toBe(2);
    expect(r.stdout).toMatch(new RegExp(`✗ cannot work: the spec names Alibaba Cloud account ${OTHER_ACCOUNT}`));
    const alibaba = stack.emulators.calls.calls.filter((c) => c.seq > mark && c.service === 'alibaba').map((c) => c.action);
    expect(alibaba).toEqual(['GetCallerIdentity']);
  }, 120_000);

  it('POST /v1/links: accepted, then the status URL reports the refusal', async () => {
    begin();
    const auth = { authorization: `Bearer ${stack.file.apiToken}` };
    const r = await fetch(`${stack.file.edgeUrl}/v1/links`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify(foreign()),
    });
    expect(r.status).toBe(202);
    const { execution, statusUrl } = (await r.json()) as { execution: string; statusUrl: string };
    expect((await finish(stack, execution)).rec.status).toBe('Failed');
    const status = (await (await fetch(`${stack.file.edgeUrl}${statusUrl}`, { headers: auth })).json()) as {
      report: { ok: boolean; failed: { step: string; code: string; message: string } };
    };
    expect(status.report).toMatchObject({
      ok: false,
      failed: { step: 'Validate', code: 'Account.Mismatch', message: expect.stringMatching(naming) },
    });
  });

  it("a ticket's callback says zpl.link.failed with the refusal", async () => {
    begin();
    const callbackUrl = `${stack.file.edgeUrl}/callbacks/tickets/ACCT-1`;
    const [intake] = (await deliverTicket(stack, 'evt-acct-1', { ticketId: 'ACCT-1', spec: foreign(), callbackUrl })) as {
      execution: string;
    }[];
    await finish(stack, intake!.execution);
    expect(stack.edge.callbacks.find((c) => c.path === '/callbacks/tickets/ACCT-1')).toMatchObject({
      status: 200,
      body: { type: 'zpl.link.failed', ticketId: 'ACCT-1', report: { failed: { code: 'Account.Mismatch' } } },
    });
  });

  it('teardown of such a spec deletes nothing: TeardownPlan refuses it the same way', async () => {
    begin();
    await stack.flows.start(TEARDOWN_FLOW, 'acct-teardown', { spec: foreign() });
    const run = await finish(stack, 'acct-teardown', TEARDOWN_FLOW);
    expect(run.rec.status).toBe('Failed');
    expect(run.report!.failed).toMatchObject({ step: 'TeardownPlan', code: 'Account.Mismatch', message: expect.stringMatching(naming) });
  });
});
