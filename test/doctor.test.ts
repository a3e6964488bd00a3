import { afterEach, describe, expect, it } from 'vitest';
import { stackTarget } from '../cli/target.ts';
import { seedProvisionedLinks } from '../local/emulators/bulk-links.ts';
import { DEMO } from '../local/emulators/fixtures.ts';
import type { Stack } from '../local/stack.ts';
import { AliyunTransport } from '../shared/aliyun/rpc.ts';
import { aliyunApis } from '../shared/aliyun/index.ts';
import { RamApi } from '../shared/aliyun/ram.ts';
import { runDoctor } from '../shared/doctor/run.ts';
import type { DoctorReport } from '../shared/doctor/report.ts';
import { requireLinkSpec } from '../shared/spec.ts';
import { PRIVATELINK_SERVICE_LINKED_ROLE } from '../shared/steps/prerequisites.ts';
import { CHECKS, reseedAccount, writesAt } from './support/doctor.ts';
import { zplAgainst } from './support/edge.ts';
import { demoSpec, seedWith, startTestStack } from './support/provision.ts';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

async function doctor(s: Stack, over: Record<string, unknown> = {}): Promise<DoctorReport> {
  const report = await runDoctor(requireLinkSpec(demoSpec(over)), stackTarget(s.file).deps());
  // A read-only preflight, whatever it finds.
  expect(writesAt(s)).toEqual([]);
  return report;
}

const check = (r: DoctorReport, id: string) => r.checks.find((c) => c.id === id)!;

describe('zpl doctor: a read-only preflight of the account for a spec', () => {
  it('passes every check on a fresh local stack, reading only (no write reaches the emulator)', async () => {
    stack = await startTestStack();
    const report = await doctor(stack);
    expect(report.checks.map((c) => c.id)).toEqual(CHECKS);
    expect(report.checks.filter((c) => c.status !== 'pass')).toEqual([]);
    expect(report).toMatchObject({ ok: true, counts: { pass: CHECKS.length, warn: 0, fail: 0 } });
    // The allowlisting is still to come: said, and left to the run.
    expect(check(report, 'endpoint-service').detail).toMatch(
      /not visible to account 1234567890123456 yet: the run's Allowlist step \(zpl apply\)/,
    );
    expect(check(report, 'account').detail).toBe(
      `credentials of acs:ram::${DEMO.accountId}:root, account ${DEMO.accountId} as the spec says`,
    );
    // CreateVpcEndpoint went as a dry run, and nothing was created.
    const dryRuns = stack.emulators.calls.calls.filter((c) => c.action === 'CreateVpcEndpoint');
    expect(dryRuns.map((c) => [c.params?.DryRun, c.ok])).toEqual([[true, false]]);
    expect(stack.emulators.world.endpoints.size).toBe(0);
    expect(stack.emulators.world.zones.size).toBe(0);
  });

  it('a dry run with every check passing answers DryRunOperation, and still creates nothing', async () => {
    stack = await startTestStack();
    stack.emulators.world.allowlist(DEMO.projectId, `ali-${DEMO.region}`, DEMO.accountId);
    await stack.emulators.clock.sleep(120_000);
    const groups = stack.emulators.world.securityGroups;
    const sg = 'sg-bp1doctor0000000001';
    groups.set(sg, {
      securityGroupId: sg,
      regionId: DEMO.region,
      vpcId: DEMO.vpcId,
      name: 'given',
      accountId: DEMO.accountId,
      description: '',
      tags: [],
      rules: [],
      createdAt: 0,
    });
    const report = await doctor(stack, { securityGroupId: sg });
    expect(check(report, 'endpoint-service')).toMatchObject({
      status: 'pass',
      detail: expect.stringMatching(/is visible to account .* and serves cn-hangzhou-h, cn-hangzhou-j/),
    });
    expect(check(report, 'permissions.create-endpoint').detail).toMatch(
      /^privatelink:CreateVpcEndpoint allowed \(dry run: DryRunOperation\)/,
    );
    expect(stack.emulators.calls.calls.find((c) => c.action === 'CreateVpcEndpoint')).toMatchObject({
      code: 'DryRunOperation',
      httpStatus: 400,
    });
    expect(stack.emulators.world.endpoints.size).toBe(0);
  });

  it.each([
    [
      'PrivateLink not activated',
      { privateLinkOpened: false },
      'privatelink.activated',
      'PrivateLink is not activated for this account',
      /aliyun privatelink OpenPrivateLinkService --region cn-hangzhou/,
      [],
    ],
    [
      'PrivateZone not opened',
      { privateZoneStatus: 'CLOSED' },
      'privatezone.opened',
      'PrivateZone is not activated for this account',
      /dns\.console\.aliyun\.com/,
      [],
    ],
    [
      'CreateVpcEndpoint denied to the key',
      { accessKeys: [{ accessKeyId: DEMO.accessKeyId, accessKeySecret: DEMO.accessKeySecret, deny: ['privatelink:CreateVpcEndpoint'] }] },
      'permissions.create-endpoint',
      'denied: this identity may not call privatelink:CreateVpcEndpoint (Forbidden.RAM)',
      /allow privatelink:CreateVpcEndpoint for this identity \(dist\/ram\/zpl-steps\.json/,
      [],
    ],
    [
      'a read the run needs denied to the key',
      { accessKeys: [{ accessKeyId: DEMO.accessKeyId, accessKeySecret: DEMO.accessKeySecret, deny: ['vpc:DescribeVSwitches'] }] },
      'vswitch.free-ips',
      'denied: this identity may not call vpc:DescribeVSwitches (Forbidden.RAM)',
      /allow vpc:DescribeVSwitches/,
      // The dry run places the endpoint in the vSwitches it could not read.
      ['permissions.create-endpoint'],
    ],
  ] as [string, Record<string, unknown>, string, string, RegExp, string[]][])(
    'fails when seeded through the admin API: %s, with the fix',
    async (_what, account, id, detail, fix, alsoFailing) => {
      stack = await startTestStack();
      await reseedAccount(stack, account);
      const report = await doctor(stack);
      expect(check(report, id)).toMatchObject({ status: 'fail', detail, fix: expect.stringMatching(fix) });
      expect(report.ok).toBe(false);
      // Only the seeded problem fails (a denied read fails every check that needs it).
      expect(report.checks.filter((c) => c.status === 'fail').map((c) => c.id)).toEqual(
        CHECKS.filter((c) => c === id || alsoFailing.includes(c)),
      );
    },
  );

  it('fails on a full vSwitch, naming it and the fix', async () => {
    stack = await startTestStack({ seed: seedWith((s) => (s.accounts![0]!.vpcs![0]!.vSwitches![1]!.availableIps = 0)) });
    const report = await doctor(stack);
    expect(check(report, 'vswitch.free-ips')).toMatchObject({
      status: 'fail',
      detail: 'zone cn-hangzhou-j: vSwitch vsw-bp1demoj000000000001 has no free address',
      fix: expect.stringMatching(/name it in zones\[\]\.vSwitchId/),
    });
  });

  it("fails when the account's private zones are at PrivateZone's 500, and the link needs one more", async () => {
    stack = await startTestStack();
    seedProvisionedLinks(stack.emulators.world, 500);
    const report = await doctor(stack);
    expect(check(report, 'quota.private-zones')).toMatchObject({
      status: 'fail',
      detail: 'the account holds 500 private zones and the run adds 1: over the 500 zones PrivateZone allows an account',
      fix: expect.stringMatching(/delete private zones no longer used/),
    });
  });

  it('fails when the Zilliz key is scoped to another project: the project and its clusters unreadable', async () => {
    stack = await startTestStack();
    await reseedAccount(stack, {}, { apiKeys: [{ apiKey: DEMO.zillizApiKey, projectIds: ['proj-0000000000000000000a'] }] });
    const report = await doctor(stack);
    expect(check(report, 'zilliz.project')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(
        /^the Zilliz API key cannot read project proj-4a1b2c3d4e5f6a7b8c9d \(\d+: You don't have permission for this project\.\)$/,
      ),
      fix: expect.stringMatching(/use a Zilliz API key with access to project proj-4a1b2c3d4e5f6a7b8c9d/),
    });
    expect(check(report, 'zilliz.clusters')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/^cluster in01-0123456789abcdef: You don't have permission for this cluster/),
    });
  });

  it("fails when Zilliz's endpoint service is not there for the account (no service in the region)", async () => {
    stack = await startTestStack({
      seed: seedWith((s) => (s.zilliz!.endpointServices = s.zilliz!.endpointServices!.filter((e) => e.regionId !== DEMO.region))),
    });
    const report = await doctor(stack);
    expect(check(report, 'endpoint-service')).toMatchObject({
      status: 'fail',
      detail: 'Zilliz offers no private-link endpoint service in ali-cn-hangzhou',
      fix: expect.stringMatching(/pick a region where Zilliz offers private links/),
    });
  });

  it('fails when the spec names another account than the credentials', async () => {
    stack = await startTestStack();
    const report = await doctor(stack, { accountId: '6543210987654321' });
    expect(check(report, 'account')).toMatchObject({
      status: 'fail',
      detail: `the credentials (acs:ram::${DEMO.accountId}:root) belong to account ${DEMO.accountId}, not the spec's 6543210987654321`,
      fix: `set accountId to ${DEMO.accountId}, or use credentials of account 6543210987654321`,
    });
  });

  it("warns (does not fail) when PrivateLink's service-linked role is missing: the first endpoint may create it", async () => {
    stack = await startTestStack();
    await reseedAccount(stack, { privateLinkServiceLinkedRole: false });
    const report = await doctor(stack);
    expect(check(report, 'privatelink.service-role')).toMatchObject({
      status: 'warn',
      detail: expect.stringMatching(new RegExp(`^${PRIVATELINK_SERVICE_LINKED_ROLE} does not exist yet`)),
      fix: expect.stringMatching(/aliyun ram CreateServiceLinkedRole --ServiceName privatelink\.aliyuncs\.com/),
    });
    expect(report.ok).toBe(true);
  });
});

describe('the emulator as a RAM identity is refused', () => {
  it('answers a denied action Forbidden.RAM (403) before any check of its own, so a denied dry run never reaches DryRunOperation', async () => {
    stack = await startTestStack();
    await reseedAccount(stack, {
      accessKeys: [
        { accessKeyId: DEMO.accessKeyId, accessKeySecret: DEMO.accessKeySecret, deny: ['privatelink:CreateVpcEndpoint', 'ram:GetRole'] },
      ],
    });
    const apis = aliyunApis(
      DEMO.region,
      new AliyunTransport({
        endpoint: stack.file.alibabaUrl,
        credentials: { accessKeyId: DEMO.accessKeyId, accessKeySecret: DEMO.accessKeySecret },
      }),
    );
    await expect(
      apis.privateLink.createEndpointDryRun({
        vpcId: DEMO.vpcId,
        service: { serviceId: 'epsrv-bp1zillizhz0000001' },
        securityGroupIds: [],
        zones: [],
      }),
    ).rejects.toMatchObject({ code: 'Forbidden.RAM', httpStatus: 403 });
    // RAM itself answers NoPermission (403), naming the action.
    await expect(new RamApi(apis.transport, DEMO.region).role(PRIVATELINK_SERVICE_LINKED_ROLE)).rejects.toMatchObject({
      code: 'NoPermission',
      httpStatus: 403,
      message: expect.stringContaining('ram:GetRole'),
    });
    // Other actions of the same key still answer.
    expect(await apis.privateLink.productOpen()).toBe(true);
  });

  it("GetRole answers PrivateLink's service-linked role, and EntityNotExist.Role (404) for a role the account lacks", async () => {
    stack = await startTestStack();
    const apis = aliyunApis(
      DEMO.region,
      new AliyunTransport({
        endpoint: stack.file.alibabaUrl,
        credentials: { accessKeyId: DEMO.accessKeyId, accessKeySecret: DEMO.accessKeySecret },
      }),
    );
    expect(await new RamApi(apis.transport, DEMO.region).role(PRIVATELINK_SERVICE_LINKED_ROLE)).toMatchObject({
      RoleName: PRIVATELINK_SERVICE_LINKED_ROLE,
    });
    expect(await new RamApi(apis.transport, DEMO.region).role('SomeoneElsesRole')).toBeUndefined();
    expect(stack.emulators.calls.calls.filter((c) => c.action === 'GetRole').map((c) => [c.ok, c.code, c.httpStatus])).toEqual([
      [true, undefined, 200],
      [false, 'EntityNotExist.Role', 404],
    ]);
  });
});

describe('zpl doctor as a user runs it', () => {
  it('prints one line per check and exits 0 on a fresh stack; exits 1 with the fix once a check fails; --json is the report', async () => {
    stack = await startTestStack();
    const ok = await zplAgainst(stack, ['doctor', '-f', 'examples/link.yaml']);
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    const lines = ok.stdout.trim().split('\n');
    expect(lines[0]).toMatch(
      /^zpl doctor: link zpl-[0-9a-f]{12} \(proj-4a1b2c3d4e5f6a7b8c9d, cn-hangzhou, vpc-bp1demo0000000000001\) on the local stack; reads and dry runs only$/,
    );
    expect(lines.filter((l) => l.startsWith('  ✓ ')).length).toBe(CHECKS.length);
    expect(lines.at(-1)).toBe(`${CHECKS.length} checks passed: ready for zpl apply.`);

    await reseedAccount(stack, { privateLinkOpened: false });
    const failed = await zplAgainst(stack, ['doctor', '-f', 'examples/link.yaml']);
    expect(failed.status).toBe(1);
    expect(failed.stdout).toMatch(
      / {2}✗ privatelink\.activated +PrivateLink is not activated for this account\n +fix: activate it: aliyun privatelink OpenPrivateLinkService --region cn-hangzhou/,
    );
    expect(failed.stdout).toMatch(/1 of 12 checks failed: the run would stop; fix them and run zpl doctor again\.\n$/);

    const json = await zplAgainst(stack, ['doctor', '-f', 'examples/link.yaml', '--json']);
    expect(json.status).toBe(1);
    const report = JSON.parse(json.stdout) as DoctorReport;
    expect(report).toMatchObject({ ok: false, counts: { pass: 11, warn: 0, fail: 1 } });
    expect(writesAt(stack)).toEqual([]);
  });
});
