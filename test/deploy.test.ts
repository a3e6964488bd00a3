import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionDef } from '../shared/aliyun/catalog.ts';
import type { Product } from '../shared/aliyun/products.ts';
import { requireFlow } from '../local/engine/fdl-check.ts';
import { DEMO, demoLinkSpec, demoSeed } from '../local/emulators/fixtures.ts';
import type { FcContext, FcEventHandler } from '../shared/fc-context.ts';
import { startStack, type Stack } from '../local/stack.ts';
import { buildAll, type BuildResult } from '../cli/build.ts';
import { openApiDocument } from '../shared/http/openapi.ts';
import { packOpenApi, unpackOpenApi } from '../shared/http/openapi-packed.ts';
import { actionPairs, ENTRY_ACTIONS, FLOW_ACTIONS, needsGrant, ramAction, ramPolicies, STEP_ACTIONS } from '../deploy/policy.ts';
import { BUS_DEPLOY_ACTIONS } from '../deploy/eventbridge.ts';
import { configuredEventBus } from '../deploy/event-bus-name.ts';
import { DEFAULT_EVENT_BUS } from '../shared/flow-render.ts';
import { demoSpec, finish, finishFlow, provision } from './support/provision.ts';
import { handMadeLink } from './support/hand-made.ts';
import { stepDeps } from '../shared/steps/runtime.ts';
import { empty, provisioned, shape } from './support/world-shape.ts';
import type { Scope, State } from '../local/engine/fdl-schema.ts';
import { deployedFunctions, timeoutOfFolder } from '../local/deployed-functions.ts';
import { REPLY_RESERVE_SECONDS, STEP_RETRY_BUDGET_SECONDS } from '../shared/steps/invocation-budget.ts';
import { linkSteps } from '../shared/steps/index.ts';
import { SECRETS, secretNameVariable, type SecretKey } from '../shared/secrets.ts';
import { ROLES, type RoleName } from '../deploy/roles.ts';
import { deployVars } from '../deploy/deploy-vars.ts';
import { resolveMagic } from './support/serverless-devs.ts';
import { reference } from './support/metadata.ts';

/**
 * What `npm run build` and `s deploy` rely on: bundled functions that really run (the whole
 * flow is driven through the artifacts), an s.yaml every function of which passes the fc3
 * schema with no unknown keys, flows naming only functions s.yaml deploys, and RAM policies
 * that hold exactly the actions the code calls.
 */

const root = join(import.meta.dirname, '..');
const schema = JSON.parse(readFileSync(join(root, 'test', 'reference', 'fc3', 'props.schema.json'), 'utf8')) as {
  properties: Record<string, unknown>;
  definitions: Record<string, { properties: Record<string, unknown> }>;
};
const rawSYaml = parse(readFileSync(join(root, 's.yaml'), 'utf8'), { merge: true }) as {
  edition: string;
  vars: Record<string, unknown>;
  resources: Record<string, { component: string; props: Record<string, unknown> }>;
};

// As `s` resolves it for a person who set vars.accountId, with none of the secrets in the shell
// (every env() has a default, so no command fails for a secret it does not use).
const SECRET_VARIABLES = Object.values(SECRETS);
const magic = { vars: { ...rawSYaml.vars, accountId: DEMO.accountId }, env: {}, base: root };
const sYaml = { ...rawSYaml, resources: resolveMagic(rawSYaml.resources, magic) as typeof rawSYaml.resources };
const fc3 = Object.entries(sYaml.resources).filter(([, r]) => r.component === 'fc3');
const functionDirs = readdirSync(join(root, 'functions')).filter((d) => existsSync(join(root, 'functions', d, 'index.ts')));

let out: string;
let built: BuildResult;
beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'zpl-dist-'));
  built = await buildAll({ outDir: out, region: 'cn-hangzhou', accountId: DEMO.accountId });
}, 300_000);

describe('npm run build', () => {
  it('bundles every function into its own artifact and renders every flow', () => {
    expect(built.functions.map((f) => f.name).sort()).toEqual([...functionDirs].sort());
    for (const f of built.functions) {
      expect(existsSync(join(out, 'functions', f.name, 'index.js'))).toBe(true);
      // Every bundle stays under 1 MB (the Alibaba signer is our own; the credentials chain stays out).
      expect(f.bytes).toBeGreaterThan(0);
      expect(f.bytes, f.name).toBeLessThan(1_000_000);
    }
    expect(built.flows.map((f) => f.replace(out, '')).sort()).toEqual([
      '/flows/zpl-adopt.yaml',
      '/flows/zpl-doctor.yaml',
      '/flows/zpl-drift.yaml',
      '/flows/zpl-follow.yaml',
      '/flows/zpl-provision.yaml',
      '/flows/zpl-teardown.yaml',
    ]);
    for (const f of built.flows) expect(readFileSync(f, 'utf8')).not.toMatch(/\$\{/);
  });

  it('carries only the zod it uses (zod/mini, English messages only), so a bundle stays under 100 KiB', () => {
    // Every bundled module validates with zod/mini through shared/zod.ts, which sets zod's English
    // locale (mini loads none). Classic zod beside it cost each function about 94 KiB; init time
    // is a benchmark figure (npm run bench), not a test, since it depends on the machine.
    for (const f of built.functions) {
      const code = readFileSync(join(out, 'functions', f.name, 'index.js'), 'utf8');
      expect(code, f.name).not.toContain('Ungültige Eingabe'); // zod's German locale
      expect(code, f.name).toContain('Invalid input'); // its English one, the default
      expect(code, f.name).toContain('Too small: expected'); // set by shared/zod.ts
      expect(f.bytes, f.name).toBeLessThan(100 * 1024);
    }
  });

  it("carries the action tables of the products its function calls and no other's", () => {
    // The typed APIs hand the transport their own product's table (AliyunTransport.use): the API
    // and event functions call only CloudFlow, so PrivateLink's or PrivateZone's actions are not in them.
    const code = (name: string) => readFileSync(join(out, 'functions', name, 'index.js'), 'utf8');
    for (const name of ['api', 'events']) {
      expect(code(name), name).toContain('StartExecution');
      expect(code(name), name).not.toContain('CreateVpcEndpoint');
      expect(code(name), name).not.toContain('BindZoneVpc');
    }
    expect(code('zpl-ensure-endpoint')).toContain('CreateVpcEndpoint');
  });
});

describe('the OpenAPI document the api bundle carries', () => {
  it('unpacks to the document the schemas generate, key for key, with or without a server URL', () => {
    const served = unpackOpenApi(packOpenApi(openApiDocument()));
    expect(JSON.stringify(served())).toBe(JSON.stringify(openApiDocument()));
    expect(JSON.stringify(served('https://zpl.example.com'))).toBe(JSON.stringify(openApiDocument('https://zpl.example.com')));
    // Each answer is a fresh object: a caller changing one does not change the next.
    (served() as { info: { title: string } }).info.title = 'changed';
    expect(served().info.title).toBe('zilliz-privatelink API');
  });
});

describe('s.yaml', () => {
  const ajv = new Ajv({ strict: false, allErrors: true });
  const validate = ajv.compile(schema);

  it('is a Serverless Devs 3 project', () => {
    expect(sYaml.edition).toBe('3.0.0');
    expect(fc3.length).toBeGreaterThan(0);
  });

  it.each(fc3)('%s passes the fc3 props schema and uses no key the schema does not know', (_name, resource) => {
    const props = resource.props;
    expect(validate(props), JSON.stringify(validate.errors)).toBe(true);
    expect(Object.keys(props).filter((k) => !(k in schema.properties))).toEqual([]);
    expect(props.runtime).toBe('nodejs20');
    const known = (def: string) => Object.keys(schema.definitions[def]!.properties);
    if (props.vpcConfig && typeof props.vpcConfig === 'object')
      expect(Object.keys(props.vpcConfig).filter((k) => !known('IVpcConfig').includes(k))).toEqual([]);
    for (const t of (props.triggers ?? []) as { triggerType: string; triggerConfig: Record<string, unknown> }[]) {
      expect(Object.keys(t).filter((k) => !known('ITrigger').includes(k))).toEqual([]);
      const def = { http: 'IHttpTriggerConfig', eventbridge: 'IEventBridge', timer: 'ITimerTriggerConfig' }[t.triggerType];
      expect(def, `trigger type ${t.triggerType}`).toBeDefined();
      expect(Object.keys(t.triggerConfig).filter((k) => !known(def!).includes(k))).toEqual([]);
    }
  });

  it('ticket intake is no FC trigger on the Default source (no ticket event arrives there): vars.eventBus is the bus the flows announce on', () => {
    const intake = fc3.find(([, r]) => r.props.functionName === 'zpl-events')![1];
    const triggers = (intake.props.triggers ?? []) as {
      triggerType: string;
      triggerConfig: { eventSourceConfig?: { eventSourceType?: string } };
    }[];
    expect(triggers.filter((t) => t.triggerType === 'eventbridge')).toEqual([]);
    for (const [, r] of fc3) {
      for (const t of (r.props.triggers ?? []) as { triggerConfig: { eventSourceConfig?: { eventSourceType?: string } } }[])
        expect(t.triggerConfig.eventSourceConfig?.eventSourceType).not.toBe('Default');
    }
    expect(rawSYaml.vars.eventBus).toBe(DEFAULT_EVENT_BUS);
    // zpl build / render / deploy-bus default to it.
    expect(configuredEventBus()).toBe(rawSYaml.vars.eventBus);
    const provision = readFileSync(
      built.flows.find((f) => f.endsWith('zpl-provision.yaml'))!,
      'utf8',
    );
    expect(provision).toContain(`eventBusName: ${String(rawSYaml.vars.eventBus)}`);
  });

  it('deploys every function folder from its build artifact, once', () => {
    const code = fc3.map(([, r]) => String(r.props.code));
    expect(code.sort()).toEqual(functionDirs.map((d) => `./dist/functions/${d}`).sort());
  });

  it('catches a misspelled key (the check is not vacuous)', () => {
    const [, first] = fc3[0]!;
    const bad = { ...first.props, memorysize: 256 };
    expect(Object.keys(bad).filter((k) => !(k in schema.properties))).toEqual(['memorysize']);
    expect(validate({ ...first.props, memorySize: 100 })).toBe(false);
  });

  it('every function ARN in the rendered flows names a function s.yaml deploys; the flow resource points at the rendered file', () => {
    const names = new Set(fc3.map(([, r]) => String(r.props.functionName)));
    const arns = (scope: Scope): string[] =>
      scope.States.flatMap((s: State) => [
        ...(s.Type === 'Task' && s.Action === 'FC:InvokeFunction' ? [String((s.Parameters as { resourceArn: string }).resourceArn)] : []),
        ...(s.Type === 'Parallel' ? s.Branches.flatMap(arns) : s.Type === 'Map' ? arns(s.Processor) : []),
      ]);
    for (const file of built.flows) {
      const flow = requireFlow(readFileSync(file, 'utf8'), file);
      const used = arns(flow);
      expect(used.length).toBeGreaterThan(0);
      for (const arn of used) {
        const m = /^acs:fc:cn-hangzhou:1234567890123456:functions\/([^/]+)\/LATEST$/.exec(arn);
        expect(m, arn).not.toBeNull();
        expect(names.has(m![1]!), `${m![1]} is deployed by s.yaml`).toBe(true);
      }
      // Was `./dist/flows/<name>.yaml`, which the flow component reads from the working directory:
      // now path() resolves it from s.yaml's folder (the `flow` component, the name it has under edition 3.0.0).
      const resource = Object.values(sYaml.resources).find((r) => r.component === 'flow' && r.props.name === flow.Name);
      expect(resource?.props.definition).toBe(join(root, 'dist', 'flows', `${flow.Name}.yaml`));
    }
  });
});

describe('timeouts: s.yaml and the flows agree', () => {
  const timeouts = new Map(fc3.map(([, r]) => [String(r.props.functionName), Number(r.props.timeout)]));
  const tasks = (scope: Scope): { name: string; fn: string; timeout: number }[] =>
    scope.States.flatMap((s: State) => [
      ...(s.Type === 'Task' && s.Action === 'FC:InvokeFunction'
        ? [
            {
              name: s.Name,
              fn: /functions\/([^/]+)\//.exec(String((s.Parameters as { resourceArn: string }).resourceArn))![1]!,
              timeout: Number(s.Timeout ?? 0),
            },
          ]
        : []),
      ...(s.Type === 'Parallel' ? s.Branches.flatMap(tasks) : s.Type === 'Map' ? tasks(s.Processor) : []),
    ]);

  it("every Task waits longer than the function it invokes may run, within FC 3.0's maximum", () => {
    for (const file of built.flows) {
      for (const t of tasks(requireFlow(readFileSync(file, 'utf8'), file))) {
        const fn = timeouts.get(t.fn)!;
        // fc3 props schema: timeout 1..86400.
        expect(fn, t.fn).toBeLessThanOrEqual(86_400);
        expect(t.timeout, `${t.name} (${t.fn}, FC timeout ${fn}s)`).toBeGreaterThan(fn);
      }
    }
  });

  it('every step function leaves its clients ten minutes of retries (throttling) before it must answer', () => {
    for (const name of linkSteps().map((s) => s.fn)) {
      expect(timeouts.get(name)! - REPLY_RESERVE_SECONDS, name).toBeGreaterThanOrEqual(STEP_RETRY_BUDGET_SECONDS);
    }
    // The local engine hands handlers the same timeouts (context.function.timeout), found by the
    // local folder its code is built into (functions/events deploys as zpl-events, 30 s).
    expect(
      deployedFunctions()
        .map((f) => f.functionName)
        .sort(),
    ).toEqual([...timeouts.keys()].sort());
    for (const f of deployedFunctions()) expect(timeoutOfFolder(f.folder), f.folder).toBe(timeouts.get(f.functionName));
    expect(timeoutOfFolder('events')).toBe(timeouts.get('zpl-events'));
  });
});

describe('the built artifacts run the whole flow; the RAM policies hold exactly what they call', () => {
  let stack: Stack;
  beforeAll(async () => {
    const seed = demoSeed();
    seed.accounts![0]!.vpcs![0]!.vSwitches!.push({
      vSwitchId: 'vsw-bp1demok000000000001',
      zoneId: 'cn-hangzhou-k',
      cidrBlock: '10.0.3.0/24',
    });
    stack = await startStack({ stateDir: mkdtempSync(join(tmpdir(), 'zpl-built-')), seed, functionsDir: join(out, 'functions') });
  }, 300_000);
  afterAll(async () => {
    await stack.stop();
  });

  it('provisions through the bundles, then converges a changed zone list, a stale record and a proxy switched off', async () => {
    const first = await provision(stack, demoSpec());
    expect(first.report?.failed ?? first.rec.error).toBeUndefined();
    expect(first.rec.status).toBe('Succeeded');
    const world = stack.emulators.world;
    const zone = [...world.zones.values()][0]!;
    zone.records[0]!.value = 'stale.example.com';
    zone.proxyPattern = 'ZONE';
    const second = await provision(
      stack,
      demoSpec({ zones: [{ zoneId: 'cn-hangzhou-h' }, { zoneId: 'cn-hangzhou-j' }, { zoneId: 'cn-hangzhou-k' }] }),
    );
    expect(second.report?.failed).toBeUndefined();
    expect(second.rec.status).toBe('Succeeded');
    expect(zone.proxyPattern).toBe('RECORD');
    expect(zone.records[0]!.value).not.toBe('stale.example.com');
    expect([...world.endpoints.values()][0]!.zones.map((z) => z.zoneId).sort()).toEqual([
      'cn-hangzhou-h',
      'cn-hangzhou-j',
      'cn-hangzhou-k',
    ]);

    // The API bundle answers through the stack's edge.
    const r = await fetch(`${stack.file.edgeUrl}/v1/links`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.file.apiToken}` },
      body: JSON.stringify(demoSpec()),
    });
    expect(r.status).toBe(202);
    const accepted = (await r.json()) as { statusUrl: string; execution: string };
    const status = await fetch(`${stack.file.edgeUrl}${accepted.statusUrl}`, {
      headers: { authorization: `Bearer ${stack.file.apiToken}` },
    });
    expect(status.status).toBe(200);
    expect((await finish(stack, accepted.execution)).rec.status).toBe('Succeeded');

    // A drift check and a teardown through the bundles too: the step role must cover them.
    await stack.flows.start('zpl-drift', 'bundled-drift', { regions: ['cn-hangzhou'] });
    expect((await finishFlow(stack, 'zpl-drift', 'bundled-drift')).status).toBe('Succeeded');
    await stack.flows.start('zpl-teardown', 'bundled-teardown', { spec: demoSpec() });
    const torn = await finish(stack, 'bundled-teardown', 'zpl-teardown');
    expect(torn.report?.failed).toBeUndefined();
    expect(stack.emulators.world.endpoints.size).toBe(0);
  }, 300_000);

  it('converges removals through the bundles: narrowed sources, a dropped tag and zone, a duplicate group swept', async () => {
    const zones = [{ zoneId: 'cn-hangzhou-h' }, { zoneId: 'cn-hangzhou-j' }, { zoneId: 'cn-hangzhou-k' }];
    const first = await provision(stack, demoSpec({ zones, tags: { team: 'search' } }));
    expect(first.report?.failed ?? first.rec.error).toBeUndefined();
    const world = stack.emulators.world;
    const [sg] = [...world.securityGroups.values()];
    // A late create's leftover: a second group carrying the link's tags.
    const late = 'sg-bp1latecreate00000001';
    world.securityGroups.set(late, {
      ...sg!,
      securityGroupId: late,
      tags: sg!.tags.map((t) => ({ ...t })),
      rules: [],
      createdAt: world.now(),
    });
    const second = await provision(stack, demoSpec({ allowedCidrs: ['10.0.1.0/24'] }));
    expect(second.report?.failed ?? second.rec.error).toBeUndefined();
    expect(second.rec.status).toBe('Succeeded');
    expect(shape(stack)).toEqual(provisioned);
    const kept = [...world.securityGroups.values()][0]!;
    expect(kept.securityGroupId).toBe(sg!.securityGroupId);
    expect(kept.rules.map((r) => r.SourceCidrIp)).toEqual(['10.0.1.0/24', '10.0.1.0/24']);
    const ep = [...world.endpoints.values()][0]!;
    expect(ep.zones.map((z) => z.zoneId).sort()).toEqual(['cn-hangzhou-h', 'cn-hangzhou-j']);
    for (const tags of [kept.tags, ep.tags]) expect(tags.map((t) => t.Key)).not.toContain('team');
    await stack.flows.start('zpl-teardown', 'bundled-teardown-2', { spec: demoSpec() });
    expect((await finish(stack, 'bundled-teardown-2', 'zpl-teardown')).report?.failed).toBeUndefined();
    expect(shape(stack)).toEqual(empty);
  }, 300_000);

  it('a follower through the bundles answers a joined request with the run it followed', async () => {
    await stack.flows.start('zpl-provision', 'bundled-run', { spec: demoSpec() });
    expect((await finish(stack, 'bundled-run')).rec.status).toBe('Succeeded');
    const callback = { url: `${stack.file.edgeUrl}/callbacks/bundled-follow` };
    await stack.flows.start('zpl-follow', 'bundled-follow', { run: 'bundled-run', spec: demoSpec(), ticketId: 'T-B', callback });
    expect((await finishFlow(stack, 'zpl-follow', 'bundled-follow')).status).toBe('Succeeded');
    expect(stack.edge.callbacks.filter((c) => c.path === '/callbacks/bundled-follow')).toMatchObject([
      { status: 200, signatureValid: true, body: { type: 'zpl.link.succeeded', ticketId: 'T-B', execution: 'bundled-run' } },
    ]);
  }, 300_000);

  it('adopts a hand-made setup through the bundles (the API starting the adopt flow), and a teardown deletes what it adopted', async () => {
    await stack.flows.start('zpl-teardown', 'bundled-teardown-3', { spec: demoSpec() });
    expect((await finish(stack, 'bundled-teardown-3', 'zpl-teardown')).report?.failed).toBeUndefined();
    const f = stack.file;
    const deps = stepDeps({
      region: DEMO.region,
      credentials: { accessKeyId: f.accessKeyId, accessKeySecret: f.accessKeySecret },
      alibabaEndpoint: f.alibabaUrl,
      zillizApiKey: f.zillizApiKey,
      zillizUrl: f.zillizUrl,
    });
    const hm = await handMadeLink(deps.aliyun, deps.zilliz, {
      vpcId: DEMO.vpcId,
      vSwitchH: 'vsw-bp1demoh000000000001',
      tag: 'bundled',
      passTime: async (ms) => void (await fetch(`${f.adminUrl}/clock/advance`, { method: 'POST', body: JSON.stringify({ ms }) })),
    });
    const r = await fetch(`${f.edgeUrl}/v1/links/adopt`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${f.apiToken}` },
      body: JSON.stringify({
        spec: demoSpec(),
        endpointId: hm.endpointId,
        securityGroupId: hm.securityGroupId,
        zoneId: hm.zoneId,
        confirm: true,
      }),
    });
    expect(r.status).toBe(202);
    const { execution } = (await r.json()) as { execution: string };
    expect((await finishFlow(stack, 'zpl-adopt', execution)).status).toBe('Succeeded');
    expect(stack.emulators.world.zones.get(hm.zoneId)!.records.map((x) => x.remark)).toEqual([expect.stringMatching(/^zpl\.adopted\./)]);
    await stack.flows.start('zpl-teardown', 'bundled-teardown-4', { spec: demoSpec() });
    expect((await finish(stack, 'bundled-teardown-4', 'zpl-teardown')).report?.failed).toBeUndefined();
    expect(shape(stack)).toMatchObject({ endpoints: 0, groups: 1, zones: 0, records: 0 });
  }, 300_000);

  it('the API bundle serves the OpenAPI document built from the schemas, without the generator in it', async () => {
    // cli/build.ts puts the document in the bundle prebuilt (shared/http/openapi-packed.ts).
    const r = await fetch(`${stack.file.edgeUrl}/v1/openapi.json`, { headers: { authorization: `Bearer ${stack.file.apiToken}` } });
    expect(r.status).toBe(200);
    expect(await r.text()).toBe(JSON.stringify(openApiDocument()));
    // zod's JSON Schema generator (its own error message) is not in the bundle.
    expect(readFileSync(join(out, 'functions', 'api', 'index.js'), 'utf8')).not.toContain('cannot be represented in JSON Schema');
    // The document is a module beside the bundle, loaded by the first read of it alone.
    const bundle = readFileSync(join(out, 'functions', 'api', 'index.js'), 'utf8');
    expect(bundle).toContain('./openapi.js');
    expect(bundle).not.toContain(packOpenApi(openApiDocument()).slice(0, 64));
    expect(readFileSync(join(out, 'functions', 'api', 'openapi.js'), 'utf8')).not.toContain('cannot be represented in JSON Schema');
  });

  it('every step bundle keeps a cross-account run’s role session in run-as.js beside it, loaded only for a spec with assumeRole', async () => {
    // cli/build.ts builds shared/steps/run-as.ts on its own; shared/steps/runtime.ts imports it only for a run with a role.
    const steps = built.functions.filter((f) => f.name.startsWith('zpl-') && f.name !== 'zpl-notify');
    expect(steps.length).toBeGreaterThan(10);
    for (const f of steps) {
      const bundle = readFileSync(join(out, 'functions', f.name, 'index.js'), 'utf8');
      if (!bundle.includes('./run-as.js')) continue;
      // STS's role actions and the session code. RAM's GetRole answer names a role's trust policy
      // AssumeRolePolicyDocument, a field the doctor's bundle carries (it reads RAM): not STS's.
      expect(bundle.replaceAll('AssumeRolePolicyDocument', ''), f.name).not.toContain('AssumeRole');
      const module = (await import(join(out, 'functions', f.name, 'run-as.js'))) as { default: { roleCredentials?: unknown } };
      expect(typeof module.default.roleCredentials, f.name).toBe('function');
    }
    expect(readFileSync(join(out, 'functions', 'zpl-validate', 'index.js'), 'utf8')).toContain('./run-as.js');
  });

  it('a refusal thrown in run-as.js is the step’s failed answer in the built bundle, not a crash', async () => {
    // run-as.js carries its own copy of the error classes (shared/error-brand.ts keeps instanceof true across them).
    const require = createRequire(import.meta.url);
    const { handler } = require(join(out, 'functions', 'zpl-validate', 'index.js')) as { handler: FcEventHandler };
    const saved = { key: process.env.ZILLIZ_API_KEY, roles: process.env.ZPL_ASSUME_ROLES };
    process.env.ZILLIZ_API_KEY = 'not-used';
    delete process.env.ZPL_ASSUME_ROLES;
    try {
      const spec = { ...demoLinkSpec(), assumeRole: { arn: 'acs:ram::2234567890123456:role/not-listed' } };
      const context: FcContext = {
        requestId: 'r-1',
        credentials: { accessKeyId: 'LTAI5tBuiltBundle0001', accessKeySecret: 'never-sent' },
        function: { name: 'zpl-validate', handler: 'index.handler', memory: 256, timeout: 720, qualifier: 'LATEST' },
        region: 'cn-hangzhou',
        accountId: DEMO.accountId,
      };
      const reply = await handler(Buffer.from(JSON.stringify({ input: { spec } })), context);
      expect(reply).toMatchObject({ outcome: 'failed', failed: { step: 'Validate', code: 'AssumeRole.NotAllowed' } });
    } finally {
      for (const [k, v] of [
        ['ZILLIZ_API_KEY', saved.key],
        ['ZPL_ASSUME_ROLES', saved.roles],
      ] as const)
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
    }
  });

  it('the API bundle serves the status page from its own module, loaded on the first /page request', async () => {
    // cli/build.ts keeps the page (code and files) in page.js beside the API's bundle (shared/http/page-route.ts).
    const api = built.functions.find((f) => f.name === 'api')!;
    expect(api.pageBytes).toBeGreaterThan(0);
    expect(api.pageBytes!).toBeLessThan(100 * 1024);
    const bundle = readFileSync(join(out, 'functions', 'api', 'index.js'), 'utf8');
    expect(bundle).toContain('./page.js');
    expect(bundle).not.toContain('zpl_session'); // the page's session code
    expect(bundle).not.toContain('flow-chart'); // its charts and stylesheet
    const login = await fetch(`${stack.file.edgeUrl}/page/login`, { headers: { 'accept-language': 'zh-CN' } });
    expect(login.status).toBe(200);
    expect(await login.text()).toContain('API 令牌');
    const signedIn = await fetch(`${stack.file.edgeUrl}/page/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `token=${encodeURIComponent(stack.file.apiToken)}`,
    });
    expect(signedIn.status).toBe(303);
    const cookie = signedIn.headers.get('set-cookie')!.split(';')[0]!;
    const overview = await fetch(`${stack.file.edgeUrl}/page/data/overview`, { headers: { cookie } });
    expect(overview.status).toBe(200);
    expect(((await overview.json()) as { links: unknown[] }).links.length).toBeGreaterThan(0);
    const chart = await fetch(`${stack.file.edgeUrl}/page/assets/flows/zpl-provision.svg`);
    expect(await chart.text()).toContain('data-state="CheckConnection"');
  });

  it('the step role holds exactly the Alibaba actions the steps called', () => {
    // The stack's own set-up (zpl deploy-bus) is kept apart in stack.setupCalls: the deploy identity's, held below.
    const calls = stack.emulators.calls.calls.filter((c) => actionDef(c.product, c.action));
    const called = new Set(calls.map((c) => `${c.product}.${c.action}`));
    expect([...called].sort()).toEqual(
      actionPairs(STEP_ACTIONS)
        .map(([p, a]) => `${p}.${a}`)
        .sort(),
    );
    // Was Statement[0] alone; the removals granted on zpl's groups only are a statement of their own.
    // Every call but those RAM does not authorise (STS GetCallerIdentity, deploy/policy.ts UNAUTHORIZED_ACTIONS).
    const steps = ramPolicies()['zpl-steps'];
    const granted = steps.Statement.flatMap((st) => st.Action).filter((a) => !a.startsWith('ram:'));
    expect(granted.sort()).toEqual(
      [
        ...new Set(
          calls.filter((c) => needsGrant(c.product as Product, c.action)).map((c) => ramAction(c.product as Product, c.action as never)),
        ),
      ].sort(),
    );
    expect(called).toContain('Sts.GetCallerIdentity');
    expect(granted).not.toContain('sts:GetCallerIdentity');
  });

  it('the step role may revoke, untag and delete only on security groups carrying zpl’s ownership tag', () => {
    const steps = ramPolicies()['zpl-steps'];
    const scoped = steps.Statement.find((st) => st.Condition?.StringEquals?.['acs:ResourceTag/zpl:managed-by']);
    expect(scoped).toEqual({
      Effect: 'Allow',
      Action: ['ecs:DeleteSecurityGroup', 'ecs:RevokeSecurityGroup', 'ecs:UntagResources'],
      Resource: '*',
      Condition: { StringEquals: { 'acs:ResourceTag/zpl:managed-by': 'zilliz-privatelink' } },
    });
    const unconditioned = steps.Statement.filter((st) => !st.Condition).flatMap((st) => st.Action);
    for (const a of scoped!.Action) expect(unconditioned).not.toContain(a);
  });

  it('the entry role holds exactly the CloudFlow actions the API called', () => {
    // The stack itself deploys flows and the test driver starts executions: only the API's own calls count here.
    const before = stack.engine.calls.length;
    return (async () => {
      await fetch(`${stack.file.edgeUrl}/v1/links`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.file.apiToken}` },
        body: JSON.stringify(demoSpec({ clusters: [DEMO.secondClusterId] })),
      }).then(async (r) => {
        const { statusUrl } = (await r.json()) as { statusUrl: string };
        await fetch(`${stack.file.edgeUrl}${statusUrl}`, { headers: { authorization: `Bearer ${stack.file.apiToken}` } });
      });
      const apiCalls = new Set(stack.engine.calls.slice(before));
      expect([...apiCalls].sort()).toEqual([...ENTRY_ACTIONS.fnf].sort());
      expect(ramPolicies()['zpl-entry'].Statement[0]!.Action).toEqual(ENTRY_ACTIONS.fnf.map((a) => `fnf:${a}`).sort());
    })();
  });

  it("the flow role holds exactly its Tasks' actions", () => {
    const actions = new Set<string>();
    const walk = (scope: Scope) => scope.States.forEach((s) => s.Type === 'Task' && actions.add(s.Action));
    for (const file of built.flows) walk(requireFlow(readFileSync(file, 'utf8')));
    const ram = [...actions].map(
      (a) => ({ 'FC:InvokeFunction': 'fc:InvokeFunction', 'EventBridge:PutEvents': 'eventbridge:PutEvents' })[a] ?? `unknown:${a}`,
    );
    expect(ram.sort()).toEqual([...FLOW_ACTIONS].sort());
  });

  it('the deploy-bus policy holds the EventBridge actions the deploy step called, on zpl’s bus and rule only', () => {
    const called = new Set(stack.setupCalls.filter((c) => c.product === 'eventbridge').map((c) => `eventbridge:${c.action}`));
    expect(called.size).toBeGreaterThan(0);
    const doc = ramPolicies({ region: 'cn-hangzhou', accountId: DEMO.accountId })['zpl-deploy-bus'];
    for (const a of called) expect(doc.Statement[0]!.Action).toContain(a);
    expect(doc.Statement[0]!.Action.every((a) => BUS_DEPLOY_ACTIONS.includes(a as never))).toBe(true);
    expect(doc.Statement[0]!.Resource).toEqual([
      `acs:eventbridge:cn-hangzhou:${DEMO.accountId}:eventbus/zilliz-privatelink`,
      `acs:eventbridge:cn-hangzhou:${DEMO.accountId}:eventbus/zilliz-privatelink/rule/zpl-link-requested`,
    ]);
  });

  it('the flow role may PutEvents on zpl’s bus only (acs:eventbridge:<region>:<account>:eventbus/<name>)', () => {
    const flow = ramPolicies({ region: 'cn-hangzhou', accountId: DEMO.accountId, eventBus: 'tickets' })['zpl-flow'];
    expect(flow.Statement.find((s) => s.Action.includes('eventbridge:PutEvents'))).toEqual({
      Effect: 'Allow',
      Action: ['eventbridge:PutEvents'],
      Resource: `acs:eventbridge:cn-hangzhou:${DEMO.accountId}:eventbus/tickets`,
    });
    // Was: fc:InvokeFunction on `*`; it is now scoped to zpl's functions (FC 3.0's function ARN, zpl-*).
    expect(flow.Statement.filter((s) => s.Resource === '*').flatMap((s) => s.Action)).toEqual([]);
    expect(flow.Statement.find((s) => s.Action.includes('fc:InvokeFunction'))?.Resource).toBe(
      `acs:fc:cn-hangzhou:${DEMO.accountId}:functions/zpl-*`,
    );
  });

  it('the policy files are what build wrote', () => {
    for (const [role, doc] of Object.entries(ramPolicies({ region: 'cn-hangzhou', accountId: DEMO.accountId })))
      expect(JSON.parse(readFileSync(join(out, 'ram', `${role}.json`), 'utf8'))).toEqual(doc);
  });
});

describe('s.yaml as Serverless Devs 3 and its components read it', () => {
  const text = readFileSync(join(root, 's.yaml'), 'utf8');

  it('no `s` command fails for a secret it does not use: every env() has a default, and s.yaml resolves with none set', () => {
    const uses = [...text.matchAll(/\$\{env\('(\w+)'(, '')?\)\}/g)];
    expect(uses.map((m) => m[1]).sort()).toEqual([...new Set(SECRET_VARIABLES)].sort());
    for (const m of uses) expect(m[2], `${m[1]} has a default`).toBe(", ''");
    expect(() => resolveMagic(rawSYaml.resources, { ...magic, env: {} })).not.toThrow();
    // Not vacuous: without a default an unset variable fails, as `s` does.
    expect(() => resolveMagic("${env('ZILLIZ_API_KEY')}", { ...magic, env: {} })).toThrow("env('ZILLIZ_API_KEY') not found");
    expect(resolveMagic("${env('ZILLIZ_API_KEY', '')}", { ...magic, env: { ZILLIZ_API_KEY: 'k' } })).toBe('k');
  });

  it("Serverless Devs' env() answers its default unless that is null or undefined (the installed @serverless-devs/s)", () => {
    const pkg = join(root, 'node_modules', '@serverless-devs', 's');
    expect((JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { version: string }).version).toBe('3.1.10');
    const bundle = readFileSync(join(pkg, 'lib', 'index.js'), 'utf8');
    // parse-spec's compile: function l(v,D){var g=a[v];if(g)return g;if(!aBr(D))return D;throw new Error("env('"…"') not found")}
    const env =
      /function (\w+)\((\w+),(\w+)\)\{var (\w+)=\w+\[\2\];if\(\4\)return \4;if\(!(\w+)\(\3\)\)return \3;throw new Error\("env\('"\.concat\(\2,"'\) not found"\)\)\}/.exec(
        bundle,
      );
    expect(env, 'the env() magic of parse-spec').not.toBeNull();
    expect(bundle).toMatch(new RegExp(`[,;]${env![5]}=\\w+\\.isNil[,;]`));
    expect(bundle).toContain(`.defaults.imports.env=${env![1]}`);
  });

  it('each function reading a secret from KMS runs as the role allowed to read exactly its secrets', () => {
    const keyOf = new Map((Object.keys(SECRETS) as SecretKey[]).map((k) => [secretNameVariable(k), k]));
    const reads = new Map<RoleName, Set<SecretKey>>();
    for (const [name, r] of fc3) {
      const env = (r.props.environmentVariables ?? {}) as Record<string, string>;
      const keys = Object.keys(env)
        .filter((v) => v.endsWith('_SECRET_NAME'))
        .map((v) => keyOf.get(v)!);
      if (keys.length === 0) continue;
      expect(keys, name).not.toContain(undefined);
      const role = /:role\/(zpl-\w+)$/.exec(String(r.props.role))?.[1] as RoleName | undefined;
      expect(role, `${name} has a role`).toBeDefined();
      for (const k of keys) {
        expect(ROLES[role!].secrets, `${name} (${role}) reads ${k}`).toContain(k);
        expect(env[secretNameVariable(k)]).toBe(deployVars().secretNames[k]);
        // The fallback variable is there too, '' unless the deploying shell sets it.
        expect(env[SECRETS[k]]).toBe('');
      }
      for (const k of keys) (reads.get(role!) ?? reads.set(role!, new Set()).get(role!)!).add(k);
    }
    // Every secret a role may read is read by one of its functions, and the policies grant exactly those.
    const secretNames = deployVars().secretNames;
    const policies = ramPolicies({ region: 'cn-hangzhou', accountId: DEMO.accountId, secretNames });
    for (const role of Object.keys(ROLES) as RoleName[]) {
      expect([...(reads.get(role) ?? [])].sort(), role).toEqual([...ROLES[role].secrets].sort());
      const kms = policies[role].Statement.filter((st) => st.Action.includes('kms:GetSecretValue'));
      expect(kms.flatMap((st) => st.Resource).sort(), role).toEqual(
        ROLES[role].secrets.map((k) => `acs:kms:cn-hangzhou:${DEMO.accountId}:secret/${secretNames[k]}`).sort(),
      );
    }
  });

  describe('the flows: the `flow` component (devsapp/fnf) and its props as its publish.yaml defines them', () => {
    const published = parse(reference('serverless-devs/flow-publish.yaml')) as {
      Edition: string;
      Name: string;
      Parameters: { additionalProperties: boolean; properties: Record<string, { type: string; required?: boolean; enum?: string[] }> };
    };
    const flows = Object.entries(sYaml.resources).filter(([, r]) => r.component === published.Name);

    it('is published as `flow` for edition 3.0.0, and no resource uses another name for it', () => {
      expect([published.Edition, published.Name]).toEqual(['3.0.0', 'flow']);
      expect(flows.map(([, r]) => r.props.name).sort()).toEqual([
        'zpl-adopt',
        'zpl-doctor',
        'zpl-drift',
        'zpl-follow',
        'zpl-provision',
        'zpl-teardown',
      ]);
      expect(Object.values(sYaml.resources).filter((r) => r.component !== 'fc3' && r.component !== 'flow')).toEqual([]);
    });

    it.each(flows)('%s: only props the component declares, each of its type and within its enum, the required ones present', (_name, r) => {
      const { properties, additionalProperties } = published.Parameters;
      expect(additionalProperties).toBe(false);
      expect(Object.keys(r.props).filter((k) => !(k in properties))).toEqual([]);
      for (const [key, def] of Object.entries(properties)) {
        const value = r.props[key];
        if (def.required) expect(value, key).toBeDefined();
        if (value === undefined) continue;
        expect(typeof value, key).toBe(def.type);
        if (def.enum) expect(def.enum, key).toContain(value);
      }
      expect(r.props.roleArn).toBe(`acs:ram::${DEMO.accountId}:role/zpl-flow`);
    });

    it('catches a prop the component does not declare (the check is not vacuous)', () => {
      const [, first] = flows[0]!;
      const bad = { ...first.props, executionMode: 'Standard' };
      expect(Object.keys(bad).filter((k) => !(k in published.Parameters.properties))).toEqual(['executionMode']);
    });

    it("each definition resolves from s.yaml's folder whatever the working directory", () => {
      const elsewhere = resolveMagic(rawSYaml.resources, { ...magic, base: '/some/where' }) as typeof rawSYaml.resources;
      for (const [name, r] of flows) {
        expect(rawSYaml.resources[name]!.props.definition).toBe(`\${path('./dist/flows/${String(r.props.name)}.yaml')}`);
        expect(elsewhere[name]!.props.definition).toBe(`/some/where/dist/flows/${String(r.props.name)}.yaml`);
      }
    });
  });
});
