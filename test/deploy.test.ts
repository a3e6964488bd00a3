import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionDef } from '../shared/aliyun/catalog.ts';
import type { Product } from '../shared/aliyun/products.ts';
import { requireFlow } from '../local/engine/fdl-check.ts';
import { DEMO, demoSeed } from '../local/emulators/fixtures.ts';
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

/** Resolves Serverless Devs' magic variables as `s` does before a component sees its props. */
function resolveMagic(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(resolveMagic);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveMagic(v)]));
  if (typeof value !== 'string') return value;
  const whole = /^\$\{vars\.(\w+)\}$/.exec(value);
  if (whole) return rawSYaml.vars[whole[1]!];
  return value
    .replace(/\$\{vars\.(\w+)\}/g, (_m, k: string) => String(rawSYaml.vars[k]))
    .replace(/\$\{env\('(\w+)'\)\}/g, (_m, k: string) => `<${k}>`)
    .replace(/\$\{config\('AccountID'\)\}/g, DEMO.accountId);
}
const sYaml = { ...rawSYaml, resources: resolveMagic(rawSYaml.resources) as typeof rawSYaml.resources };
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
      const resource = Object.values(sYaml.resources).find((r) => r.component === 'fnf' && r.props.name === flow.Name);
      expect(resource?.props.definition).toBe(`./dist/flows/${flow.Name}.yaml`);
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
    expect(flow.Statement.filter((s) => s.Resource === '*').flatMap((s) => s.Action)).toEqual(['fc:InvokeFunction']);
  });

  it('the policy files are what build wrote', () => {
    for (const [role, doc] of Object.entries(ramPolicies({ region: 'cn-hangzhou', accountId: DEMO.accountId })))
      expect(JSON.parse(readFileSync(join(out, 'ram', `${role}.json`), 'utf8'))).toEqual(doc);
  });
});
