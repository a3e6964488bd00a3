import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEMO } from '../local/emulators/fixtures.ts';
import { S_YAML } from '../local/deployed-functions.ts';
import { deployRoles } from '../deploy/ram-roles.ts';
import { ramPolicies } from '../deploy/policy.ts';
import { ROLE_NAMES, ROLES, trustPolicy } from '../deploy/roles.ts';
import { deployVars } from '../deploy/deploy-vars.ts';
import { INTAKE_RULE } from '../deploy/eventbridge.ts';
import { DEFAULT_EVENT_BUS } from '../shared/flow-render.ts';
import { callsTo, startTestWorld, type TestWorld } from './support/stack.ts';

/**
 * `zpl deploy` end to end on loopback: against the emulated RAM and EventBridge, it builds for
 * s.yaml's vars, creates the three roles (trusted by FC or CloudFlow) with their policies and
 * attachments, runs `s deploy` on the same s.yaml (a stand-in: the real `s` downloads its
 * components), then makes the bus and its rule; a second run writes nothing.
 */

const WRITES = [
  'CreateRole',
  'UpdateRole',
  'CreatePolicy',
  'CreatePolicyVersion',
  'AttachPolicyToRole',
  'CreateEventBus',
  'CreateRule',
  'PutTargets',
];
const written = (w: TestWorld) => Object.fromEntries(WRITES.map((a) => [a, callsTo(w, a).filter((c) => c.ok).length]));

/** s.yaml as a new user fills it in: their account ID, everything else as committed. */
function projectWith(vars: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'zpl-deploy-'));
  let text = readFileSync(S_YAML, 'utf8');
  for (const [k, v] of Object.entries(vars)) text = text.replace(new RegExp(`^  ${k}: .*$`, 'm'), `  ${k}: '${v}'`);
  writeFileSync(join(dir, 's.yaml'), text);
  return join(dir, 's.yaml');
}

function zpl(args: string[], env: Record<string, string | undefined> = {}) {
  // The emulator answers on this process's event loop: the CLI must run without blocking it.
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn('node', ['bin/zpl.mjs', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('zpl deploy against the emulated RAM and EventBridge', () => {
  let w: TestWorld;
  let template: string;
  let sLog: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    w = await startTestWorld();
    template = projectWith({ accountId: DEMO.accountId });
    sLog = join(template, '..', 's-calls.jsonl');
    env = {
      ALIBABA_CLOUD_ACCESS_KEY_ID: DEMO.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEMO.accessKeySecret,
      ZPL_S_STAND_IN_LOG: sLog,
    };
  });
  afterAll(() => w.emu.close());

  const deploy = () =>
    zpl(
      ['deploy', '-t', template, '--endpoint', w.emu.alibabaUrl, '--s', `node ${join(import.meta.dirname, 'fixtures', 's-stand-in.mjs')}`],
      env,
    );

  it('creates the roles with their trust and policies, runs s deploy on the same s.yaml, then the bus; a second run changes nothing', async () => {
    const first = await deploy();
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    // The order each step needs: roles before the functions that name them, functions before the rule that targets one.
    const order = ['1. build', '2. roles  zpl-steps', '2. roles  zpl-flow', '3. s', 's stand-in: deploy', '4. bus'].map((l) =>
      first.stdout.indexOf(l),
    );
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    for (const role of ROLE_NAMES) expect(first.stdout).toContain(`2. roles  ${role}: role created, policy created, attachment created`);
    expect(first.stdout).toContain(`4. bus    event bus ${DEFAULT_EVENT_BUS}: created; rule ${INTAKE_RULE}: created`);

    // What RAM now holds: each role trusted by its service alone, its policy as built, attached.
    const ram = w.emu.world.ram.of(DEMO.accountId);
    const dist = join(template, '..', 'dist', 'ram');
    for (const role of ROLE_NAMES) {
      const r = ram.roles.get(role)!;
      expect(JSON.parse(r.trustPolicy)).toEqual(trustPolicy(ROLES[role].service));
      const policy = ram.policies.get(role)!;
      expect(JSON.parse(policy.versions.find((v) => v.versionId === policy.defaultVersion)!.document)).toEqual(
        JSON.parse(readFileSync(join(dist, `${role}.json`), 'utf8')),
      );
      expect(r.attached).toEqual([`Custom:${role}`]);
    }
    expect(JSON.parse(ram.roles.get('zpl-flow')!.trustPolicy).Statement[0].Principal).toEqual({ Service: ['fnf.aliyuncs.com'] });
    expect(JSON.parse(ram.roles.get('zpl-steps')!.trustPolicy).Statement[0].Principal).toEqual({ Service: ['fc.aliyuncs.com'] });
    const calls = readFileSync(sLog, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { argv: string[]; cwd: string });
    expect(calls).toEqual([{ argv: ['deploy', '-t', template, '-y'], cwd: join(template, '..') }]);
    expect(written(w)).toEqual({
      ...Object.fromEntries(WRITES.map((a) => [a, 0])),
      CreateRole: 3,
      CreatePolicy: 3,
      AttachPolicyToRole: 3,
      CreateEventBus: 1,
      CreateRule: 1,
    });

    const before = written(w);
    const second = await deploy();
    expect(second.status).toBe(0);
    for (const role of ROLE_NAMES) expect(second.stdout).toContain(`2. roles  ${role}: role reused, policy reused, attachment reused`);
    expect(second.stdout).toContain(`event bus ${DEFAULT_EVENT_BUS}: reused; rule ${INTAKE_RULE}: reused; target zpl-events: reused`);
    expect(written(w)).toEqual(before);
  }, 120_000);

  it('--plan prints every step and builds and calls nothing', async () => {
    const calls = w.emu.calls.calls.length;
    const r = await zpl(['deploy', '-t', template, '--plan', '--endpoint', 'http://127.0.0.1:9'], env);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`1. build  dist/ beside ${template} for cn-hangzhou, account ${DEMO.accountId}`);
    expect(r.stdout).toContain('2. roles  role zpl-flow trusted by fnf.aliyuncs.com');
    expect(r.stdout).toContain(`3. s      npx s deploy -t ${template} -y`);
    expect(r.stdout).toContain(`4. bus    target zpl-events: acs.fc.function acs:fc:cn-hangzhou:${DEMO.accountId}:functions/zpl-events`);
    expect(w.emu.calls.calls.length).toBe(calls);
  }, 60_000);

  it('a policy someone changed gets the built one back as a new default version, a role trusted otherwise is set back; five versions rotate', async () => {
    const scope = {
      region: DEMO.region,
      accountId: DEMO.accountId,
      eventBus: DEFAULT_EVENT_BUS,
      secretNames: deployVars(template).secretNames,
    };
    const ram = w.emu.world.ram.of(DEMO.accountId);
    const steps = ram.policies.get('zpl-steps')!;
    steps.versions[0]!.document = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: ['ecs:*'], Resource: '*' }] });
    ram.roles.get('zpl-entry')!.trustPolicy = JSON.stringify(trustPolicy('ecs.aliyuncs.com'));
    const before = written(w);
    const result = await deployRoles(w.transport(), scope);
    expect(result.find((r) => r.role === 'zpl-steps')).toMatchObject({ trust: 'reused', policy: 'updated', attachment: 'reused' });
    expect(result.find((r) => r.role === 'zpl-entry')).toMatchObject({ trust: 'updated', policy: 'reused' });
    expect(written(w)).toEqual({ ...before, CreatePolicyVersion: before.CreatePolicyVersion! + 1, UpdateRole: before.UpdateRole! + 1 });
    expect(JSON.parse(ram.roles.get('zpl-entry')!.trustPolicy)).toEqual(trustPolicy('fc.aliyuncs.com'));
    const current = () => JSON.parse(steps.versions.find((v) => v.versionId === steps.defaultVersion)!.document);
    expect(current()).toEqual(ramPolicies(scope)['zpl-steps']);

    // Each change makes a version; past RAM's five, the oldest non-default one goes (RotateStrategy).
    for (const secret of ['a', 'b', 'c', 'd', 'e']) {
      const changed = { ...scope, secretNames: { ...scope.secretNames, zillizApiKey: `zpl-key-${secret}` } };
      expect((await deployRoles(w.transport(), changed)).find((r) => r.role === 'zpl-steps')!.policy).toBe('updated');
    }
    expect(steps.versions.map((v) => v.versionId)).toEqual(['v3', 'v4', 'v5', 'v6', 'v7']);
    expect(current().Statement.at(-1)).toEqual({
      Effect: 'Allow',
      Action: ['kms:GetSecretValue'],
      Resource: [`acs:kms:${DEMO.region}:${DEMO.accountId}:secret/zpl-key-e`],
    });
  });

  it('the emulated RAM refuses what RAM refuses: an unknown role or policy, a name outside its rule, a second version past five without rotation', async () => {
    const t = w.transport({ retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 } });
    await expect(t.call('Ram', 'GetRole', DEMO.region, { RoleName: 'zpl-nobody' })).rejects.toMatchObject({
      code: 'EntityNotExist.Role',
      httpStatus: 404,
    });
    await expect(t.call('Ram', 'GetPolicy', DEMO.region, { PolicyType: 'Custom', PolicyName: 'zpl-none' })).rejects.toMatchObject({
      code: 'EntityNotExist.Policy',
      httpStatus: 404,
    });
    await expect(
      t.call('Ram', 'CreateRole', DEMO.region, {
        RoleName: 'zpl_steps!',
        AssumeRolePolicyDocument: JSON.stringify(trustPolicy('fc.aliyuncs.com')),
      }),
    ).rejects.toMatchObject({ httpStatus: 400 });
    await expect(
      t.call('Ram', 'CreatePolicyVersion', DEMO.region, {
        PolicyName: 'zpl-steps',
        PolicyDocument: JSON.stringify(ramPolicies()['zpl-steps']),
      }),
    ).rejects.toMatchObject({ code: 'LimitExceeded.Policy.Version', httpStatus: 409 });
    await expect(t.call('Ram', 'CreateRole', DEMO.region, { RoleName: 'zpl-steps', AssumeRolePolicyDocument: '{}' })).rejects.toMatchObject(
      {
        httpStatus: 409,
      },
    );
  });
});

describe("one source for region and account: s.yaml's vars", () => {
  it('zpl build without an account ID in s.yaml fails naming vars.accountId, and builds nothing', async () => {
    const template = projectWith({ accountId: '' });
    const r = await zpl(['build', '-t', template], {});
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('no account ID: set vars.accountId in');
    expect(() => readFileSync(join(template, '..', 'dist', 'ram', 'zpl-flow.json'))).toThrow();
  }, 60_000);

  it('an option that contradicts s.yaml is refused (the functions would be deployed elsewhere)', async () => {
    const template = projectWith({ accountId: DEMO.accountId });
    const r = await zpl(['build', '-t', template, '--region', 'cn-beijing'], {});
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("--region cn-beijing is not s.yaml's vars.region (cn-hangzhou)");
    const a = await zpl(['deploy', '-t', template, '--plan', '--account-id', '1111111111111111'], {});
    expect(a.status).toBe(1);
    expect(a.stderr).toContain(`--account-id 1111111111111111 is not s.yaml's vars.accountId (${DEMO.accountId})`);
  }, 60_000);

  it('zpl deploy signs with the default chain: --profile names the profile it takes its key from', async () => {
    const template = projectWith({ accountId: DEMO.accountId });
    const home = mkdtempSync(join(tmpdir(), 'zpl-home-'));
    mkdirSync(join(home, '.aliyun'));
    writeFileSync(join(home, '.aliyun', 'config.json'), JSON.stringify({ current: 'ops', profiles: [{ name: 'ops', mode: 'AK' }] }));
    const r = await zpl(['deploy', '-t', template, '--profile', 'nobody', '--endpoint', 'http://127.0.0.1:9'], {
      HOME: home,
      ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI5tIgnoredByProfile1',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'ignored',
    });
    expect(r.status).toBe(1);
    // The roles step asked the profile (none in this home) for its key, not the environment.
    expect(r.stderr).toContain('no profile nobody');
  }, 120_000);

  it('deploy-bus and render take region, account and bus from s.yaml; deploy-bus refuses a contradiction', async () => {
    const template = projectWith({ accountId: DEMO.accountId, region: 'cn-shanghai', eventBus: 'tickets' });
    // ZPL_REGION and ALIBABA_CLOUD_ACCOUNT_ID left over in a shell must not move the bus elsewhere.
    const plan = await zpl(['deploy-bus', '-t', template, '--plan'], {
      ZPL_REGION: undefined,
      ALIBABA_CLOUD_ACCOUNT_ID: undefined,
      ZPL_EVENT_BUS: undefined,
    });
    expect(plan.status, plan.stderr).toBe(0);
    expect(plan.stdout).toContain(`rule ${INTAKE_RULE} on tickets`);
    expect(plan.stdout).toContain(`acs:fc:cn-shanghai:${DEMO.accountId}:functions/zpl-events`);
    const other = await zpl(['deploy-bus', '-t', template, '--plan'], { ZPL_REGION: 'cn-hangzhou' });
    expect(other.status).toBe(1);
    expect(other.stderr).toContain("--region cn-hangzhou is not s.yaml's vars.region (cn-shanghai)");

    const out = mkdtempSync(join(tmpdir(), 'zpl-render-'));
    const r = await zpl(['render', '-t', template, '-o', out], { ZPL_EVENT_BUS: undefined });
    expect(r.status, r.stderr).toBe(0);
    const flow = readFileSync(join(out, 'zpl-provision.yaml'), 'utf8');
    expect(flow).toContain(`acs:fc:cn-shanghai:${DEMO.accountId}:functions/zpl-validate/LATEST`);
    expect(flow).toContain('eventBusName: tickets');
    const none = await zpl(['render', '-t', projectWith({ accountId: '' }), '-o', out], {});
    expect(none.status).toBe(1);
    expect(none.stderr).toContain('no account ID: pass --account-id or set vars.accountId');
  }, 60_000);

  it('what build renders and what s deploy reads name the same region and account', async () => {
    const template = projectWith({ accountId: DEMO.accountId, region: 'cn-shanghai' });
    const r = await zpl(['build', '-t', template], {});
    expect(r.status).toBe(0);
    const dist = join(template, '..', 'dist');
    const flow = readFileSync(join(dist, 'flows', 'zpl-provision.yaml'), 'utf8');
    const arns = [...flow.matchAll(/acs:fc:([a-z0-9-]+):(\d+):functions\//g)].map((m) => `${m[1]}:${m[2]}`);
    expect(arns.length).toBeGreaterThan(0);
    expect(new Set(arns)).toEqual(new Set([`cn-shanghai:${DEMO.accountId}`]));
    expect(JSON.parse(readFileSync(join(dist, 'ram', 'zpl-flow.json'), 'utf8')).Statement[0].Resource).toBe(
      `acs:fc:cn-shanghai:${DEMO.accountId}:functions/zpl-*`,
    );
    // s.yaml's own references: every function and flow is in vars.region, every role in vars.accountId.
    const doc = parse(readFileSync(template, 'utf8'), { merge: true }) as {
      vars: { region: string; accountId: string };
      resources: Record<string, { props: { region?: string; role?: string; roleArn?: string } }>;
    };
    expect(doc.vars).toMatchObject({ region: 'cn-shanghai', accountId: DEMO.accountId });
    for (const [name, r] of Object.entries(doc.resources)) {
      expect(r.props.region, name).toBe('${vars.region}');
      for (const arn of [r.props.role, r.props.roleArn].filter(Boolean))
        expect(arn, name).toMatch(/^acs:ram::\$\{vars\.accountId\}:role\/zpl-(steps|entry|flow)$/);
    }
  }, 60_000);
});
