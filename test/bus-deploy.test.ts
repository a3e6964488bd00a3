import { spawn, spawnSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deployBus, INTAKE_PATTERN, INTAKE_RULE } from '../deploy/eventbridge.ts';
import { DEMO } from '../local/emulators/fixtures.ts';
import type { Stack } from '../local/stack.ts';
import { PROVISION_FLOW } from '../shared/flows.ts';
import { DEFAULT_EVENT_BUS } from '../shared/flow-render.ts';
import { demoSpec, finish, startTestStack } from './support/provision.ts';
import { callsTo, startTestWorld, type TestWorld } from './support/stack.ts';

/**
 * Ticket intake (issue 12 item 17): `zpl deploy-bus` creates zpl's custom bus and a rule on it
 * that targets zpl-events, idempotently, against the emulated EventBridge control plane; a ticket
 * event published to that bus then reaches zpl-events and starts a run. With the old set-up (no
 * bus, or events on `default`) nothing arrives.
 */

const opts = { region: DEMO.region, accountId: DEMO.accountId };
const written = (w: TestWorld) => ['CreateEventBus', 'CreateRule', 'PutTargets'].map((a) => callsTo(w, a).filter((c) => c.ok).length);

describe('the deploy step on the emulated control plane', () => {
  let w: TestWorld;
  afterEach(() => w.emu.close());

  it('creates the bus and the rule targeting zpl-events once; a second run reuses both and writes nothing', async () => {
    w = await startTestWorld();
    const first = await deployBus(w.transport(), opts);
    expect(first).toEqual({
      bus: { name: DEFAULT_EVENT_BUS, change: 'created' },
      rule: { name: INTAKE_RULE, change: 'created' },
      target: { id: 'zpl-events', endpoint: `acs:fc:${DEMO.region}:${DEMO.accountId}:functions/zpl-events`, change: 'created' },
    });
    const rule = w.emu.world.eventbridge.buses.get(DEFAULT_EVENT_BUS)!.rules.get(INTAKE_RULE)!;
    expect(rule).toMatchObject({
      filterPattern: INTAKE_PATTERN,
      status: 'ENABLE',
      targets: [{ Id: 'zpl-events', Type: 'acs.fc.function' }],
    });
    // EventTargets travels as one JSON string (metadata `style: json`), decoded by the gateway.
    expect(callsTo(w, 'CreateRule')[0]!.params!.EventTargets).toEqual([expect.objectContaining({ Type: 'acs.fc.function' })]);
    expect(written(w)).toEqual([1, 1, 0]);

    const second = await deployBus(w.transport(), opts);
    expect([second.bus.change, second.rule.change, second.target.change]).toEqual(['reused', 'reused', 'reused']);
    expect(written(w)).toEqual([1, 1, 0]);
  });

  it('a rule that lost its target gets it back through PutTargets; a rule filtering something else is refused, not overwritten', async () => {
    w = await startTestWorld();
    await deployBus(w.transport(), opts);
    const rule = w.emu.world.eventbridge.buses.get(DEFAULT_EVENT_BUS)!.rules.get(INTAKE_RULE)!;
    rule.targets.length = 0;
    expect((await deployBus(w.transport(), opts)).target.change).toBe('created');
    expect(rule.targets).toHaveLength(1);
    expect(written(w)).toEqual([1, 1, 1]);

    rule.filterPattern = '{"type":["something.else"]}';
    await expect(deployBus(w.transport(), opts)).rejects.toThrow(/filters .*something\.else/);
    expect(rule.filterPattern).toBe('{"type":["something.else"]}');
  });

  it('copes with a missing bus answered as an HTTP error too (either form the provider reads)', async () => {
    w = await startTestWorld();
    w.emu.faults.add({
      target: 'GetEventBus',
      kind: 'error',
      count: 1,
      code: 'EventBusNotExist',
      message: 'The event bus [zilliz-privatelink] not existed!',
      httpStatus: 404,
    });
    expect((await deployBus(w.transport(), opts)).bus.change).toBe('created');
  });

  it('the gateway refuses a target that is not an FC function ARN', async () => {
    w = await startTestWorld();
    await deployBus(w.transport(), opts);
    await expect(
      w.transport({ retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 } }).call('eventbridge', 'PutTargets', DEMO.region, {
        EventBusName: DEFAULT_EVENT_BUS,
        RuleName: INTAKE_RULE,
        Targets: [{ Id: 'x', Type: 'acs.fc.function', Endpoint: 'zpl-events' }],
      }),
    ).rejects.toMatchObject({ code: 'EventRuleTargetEndpointInvalid', httpStatus: 400 });
  });

  it('zpl deploy-bus talks only to the endpoint it is given (ZPL_EVENTBRIDGE_ENDPOINT) and is idempotent', async () => {
    w = await startTestWorld();
    const env = {
      ...process.env,
      ZPL_EVENTBRIDGE_ENDPOINT: w.emu.alibabaUrl,
      ALIBABA_CLOUD_ACCESS_KEY_ID: DEMO.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEMO.accessKeySecret,
      ALIBABA_CLOUD_ACCOUNT_ID: DEMO.accountId,
    };
    // The emulator answers on this process's event loop: the CLI must run without blocking it.
    const run = () =>
      new Promise<{ status: number | null; stdout: string }>((resolve) => {
        const child = spawn('node', ['bin/zpl.mjs', 'deploy-bus'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
        child.on('close', (status) => resolve({ status, stdout }));
      });
    const first = await run();
    expect(first.status).toBe(0);
    expect(first.stdout).toContain(`event bus ${DEFAULT_EVENT_BUS}: created`);
    const second = await run();
    expect(second.stdout).toContain(`rule ${INTAKE_RULE}: reused`);
    expect(written(w)).toEqual([1, 1, 0]);
  }, 60_000);

  it('--plan calls nothing and says what it would do', () => {
    const r = spawnSync('node', ['bin/zpl.mjs', 'deploy-bus', '--plan', '--account-id', DEMO.accountId], {
      encoding: 'utf8',
      env: { ...process.env, ZPL_EVENTBRIDGE_ENDPOINT: 'http://127.0.0.1:9' },
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`rule ${INTAKE_RULE} on ${DEFAULT_EVENT_BUS}`);
    expect(r.stdout).toContain(`acs.fc.function acs:fc:cn-hangzhou:${DEMO.accountId}:functions/zpl-events`);
  }, 60_000);
});

describe('ticket events on the local stack (set up by the deploy step)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack.stop();
  });

  const ticket = (bus: string, ticketId: string) => ({
    id: `evt-${ticketId}`,
    source: 'tickets.example',
    type: 'zpl.link.requested',
    specversion: '1.0',
    aliyuneventbusname: bus,
    data: { ticketId, spec: demoSpec() },
  });
  const putEvents = (body: unknown) =>
    fetch(`${stack.file.edgeUrl}/__local/put-events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('the stack made the bus and the rule through the EventBridge API', () => {
    const actions = stack.setupCalls.filter((c) => c.product === 'eventbridge').map((c) => c.action);
    expect(actions).toEqual(['GetEventBus', 'CreateEventBus', 'GetRule', 'CreateRule']);
  });

  it('a ticket event put on zpl’s bus reaches zpl-events through the rule and starts a run', async () => {
    const r = await putEvents(ticket(DEFAULT_EVENT_BUS, 'T-900'));
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ failedEntryCount: 0, entryList: [{ eventId: 'evt-T-900' }] });
    const delivery = stack.edge.deliveries.find((d) => d.eventId === 'evt-T-900')!;
    expect(delivery).toMatchObject({
      bus: DEFAULT_EVENT_BUS,
      rule: INTAKE_RULE,
      endpoint: `acs:fc:${DEMO.region}:${DEMO.accountId}:functions/zpl-events`,
    });
    expect(delivery.error).toBeUndefined();
    const [intake] = delivery.reply as { accepted: boolean; execution: string }[];
    expect(intake).toMatchObject({ accepted: true });
    const run = await finish(stack, intake!.execution);
    expect(run.rec.status).toBe('Succeeded');
    // The outcome goes out on the same bus; the intake rule does not match it.
    expect(stack.edge.published.filter((e) => e.id === intake!.execution).map((e) => [e.eventBusName, e.type])).toEqual([
      [DEFAULT_EVENT_BUS, 'zpl.link.succeeded'],
    ]);
    expect(stack.edge.deliveries.filter((d) => d.eventId === intake!.execution)).toEqual([]);
  });

  it('on the default bus (the old trigger) a ticket event is refused and starts nothing', async () => {
    const before = stack.engine.engine.listExecutions(PROVISION_FLOW).length;
    const r = await putEvents(ticket('default', 'T-901'));
    expect(r.status).toBe(400);
    expect(await r.json()).toMatchObject({ failedEntryCount: 1, entryList: [{ errorCode: 'InvalidArgument' }] });
    expect(stack.engine.engine.listExecutions(PROVISION_FLOW).length).toBe(before);
  });
});
