import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { FOLLOW_FLOW, PROVISION_FLOW } from '../shared/flows.ts';
import { DEMO, demoSeed } from '../local/emulators/fixtures.ts';
import type { Stack } from '../local/stack.ts';
import { followPollSeconds } from '../shared/steps/follow-pacing.ts';
import { demoSpec, finish, finishFlow, startTestStack } from './support/provision.ts';

/**
 * Every requester gets its answer: requests that join a run in flight (tickets, the API, the CLI)
 * are each answered by their own callback and outcome event, a request for another spec is
 * refused naming the difference (and a refused ticket is still answered), and a redelivered
 * request is answered once. Each case links a VPC of its own, so its run must wait for a new
 * endpoint; the clock is held while the requests arrive, so the run is surely in flight, and once
 * released, emulated time carries the run and its followers to their end.
 */

/** A VPC (vpc-bp1join…N, vSwitches in the demo's two zones) and a cluster of its own for each case. */
const VPCS = 4;
const vpcId = (n: number) => `vpc-bp1join00000000000${n}`;
const clusterId = (n: number) => `in01-0000000000000${n}a`;
function seed() {
  const s = demoSeed();
  for (let n = 1; n <= VPCS; n++) {
    s.zilliz!.projects![0]!.clusters!.push({ clusterId: clusterId(n), regionId: `ali-${DEMO.region}` });
    s.accounts![0]!.vpcs!.push({
      vpcId: vpcId(n),
      regionId: DEMO.region,
      cidrBlock: `10.${n}.0.0/16`,
      secondaryCidrBlocks: [],
      vSwitches: [
        { vSwitchId: `vsw-bp1join${n}h0000000001`, zoneId: 'cn-hangzhou-h', cidrBlock: `10.${n}.1.0/24` },
        { vSwitchId: `vsw-bp1join${n}j0000000001`, zoneId: 'cn-hangzhou-j', cidrBlock: `10.${n}.2.0/24` },
      ],
    });
  }
  return s;
}
const specIn = (n: number, over: Record<string, unknown> = {}) => demoSpec({ vpcId: vpcId(n), clusters: [clusterId(n)], ...over });

let stack: Stack;
let edge: string;
let stateDir: string;
beforeAll(async () => {
  stack = await startTestStack({ seed: seed() });
  edge = stack.file.edgeUrl;
  stateDir = join(stack.path, '..');
});
afterAll(async () => {
  await stack.stop();
});

let ids = 0;
const ticket = (ticketId: string, spec: unknown, callbackUrl = `${edge}/callbacks/${ticketId}`) => ({
  id: `evt-join-${++ids}`,
  source: 'acs.ticketing',
  type: 'zpl.link.requested',
  specversion: '1.0',
  datacontenttype: 'application/json',
  data: { ticketId, spec, callbackUrl },
});
type Intake = { accepted: boolean; execution: string; joined: boolean; follower?: string; code?: string; fields?: { field: string }[] };
async function deliver(event: unknown): Promise<Intake> {
  const r = await fetch(`${edge}/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/cloudevents+json' },
    body: JSON.stringify(event),
  });
  expect(r.status).toBe(200);
  return ((await r.json()) as Intake[])[0]!;
}
const post = (spec: unknown, headers: Record<string, string> = {}) =>
  fetch(`${edge}/v1/links`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.file.apiToken}`, ...headers },
    body: JSON.stringify(spec),
  });
const callbacksTo = (name: string) => stack.edge.callbacks.filter((c) => c.path === `/callbacks/${name}` && c.status === 200);
const outcomesOf = (run: string) =>
  stack.edge.published.filter((e) => /^zpl\.link\.(succeeded|failed)$/.test(e.type) && (e.data as { execution: string }).execution === run);
const provisionRuns = () => stack.engine.engine.listExecutions(PROVISION_FLOW).length;
const followers = () => stack.engine.engine.listExecutions(FOLLOW_FLOW).length;

/** Runs `zpl` as a user would, against this stack; time stays still meanwhile, so the run it meets is still in flight. */
function zpl(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
    execFile('node', ['bin/zpl.mjs', ...args, '--state-dir', stateDir], { timeout: 300_000 }, (e, stdout, stderr) =>
      resolve({ code: e ? Number(e.code ?? 1) : 0, stdout, stderr }),
    ),
  );
  return stack.emulators.clock.busy(child);
}

describe('requests that join a run in flight', () => {
  it('two tickets for one link: two callbacks and two outcome events, each naming its ticket; a redelivery is answered once', async () => {
    const before = followers();
    const release = stack.emulators.clock.hold();
    const first = await deliver(ticket('T-J1', specIn(1)));
    const second = ticket('T-J2', specIn(1));
    const joined = await deliver(second);
    expect(first).toMatchObject({ accepted: true, joined: false });
    expect(joined).toMatchObject({
      accepted: true,
      joined: true,
      execution: first.execution,
      follower: expect.stringMatching(/-j[0-9a-f]{16}$/),
    });
    // Redelivered while the run is in flight: the same follower, not another.
    expect(await deliver(second)).toMatchObject({ joined: true, execution: first.execution, follower: joined.follower });
    expect(followers()).toBe(before + 1);
    release();

    const run = await finish(stack, first.execution);
    expect(run.rec.status).toBe('Succeeded');
    expect((await finishFlow(stack, FOLLOW_FLOW, joined.follower!)).status).toBe('Succeeded');
    // What the joiner cost: a look per pause of followPollSeconds over the run's life, three transitions each, then four more.
    const entered = stack.engine.engine.history(FOLLOW_FLOW, joined.follower!).filter((e) => e.Type === 'StepEntered');
    const looks = entered.filter((e) => e.StepName === 'FollowRun').length;
    let [age, paced] = [0, 1];
    for (const end = Date.parse(run.rec.stoppedTime!) - Date.parse(run.rec.startedTime); age < end; paced++)
      age += followPollSeconds(age) * 1000;
    expect(looks).toBeLessThanOrEqual(paced);
    expect(entered.length).toBe(3 * looks - 1 + 4);
    for (const [id, calls] of [
      ['T-J1', callbacksTo('T-J1')],
      ['T-J2', callbacksTo('T-J2')],
    ] as const) {
      expect(calls, id).toHaveLength(1);
      expect(calls[0]).toMatchObject({
        signatureValid: true,
        body: { type: 'zpl.link.succeeded', ticketId: id, execution: first.execution, report: { ok: true, ticketId: id } },
      });
    }
    const events = outcomesOf(first.execution);
    expect(events.map((e) => [e.id, (e.data as { ticketId: string }).ticketId, e.type]).sort()).toEqual(
      [
        [first.execution, 'T-J1', 'zpl.link.succeeded'],
        [joined.follower, 'T-J2', 'zpl.link.succeeded'],
      ].sort(),
    );

    // Redelivered after the end, after the link's next run too: its own answer, nothing started, no second callback.
    const next = (await (await post(specIn(1))).json()) as { execution: string; joined: boolean };
    expect(next).toMatchObject({ joined: false });
    await finish(stack, next.execution);
    const runs = provisionRuns();
    expect(await deliver(second)).toMatchObject({ accepted: true, joined: true, execution: first.execution, follower: joined.follower });
    expect([provisionRuns(), followers()]).toEqual([runs, before + 1]);
    expect(callbacksTo('T-J2')).toHaveLength(1);
  });

  it('the API joining a run gets its own callback; its Idempotency-Key finds that run afterwards', async () => {
    const release = stack.emulators.clock.hold();
    const started = await post(specIn(2), { 'idempotency-key': 'API-J1', 'x-zpl-callback-url': `${edge}/callbacks/api-j1` });
    expect(started.status).toBe(202);
    const run = (await started.json()) as { execution: string; joined: boolean };
    const joinedReply = await post(specIn(2), { 'idempotency-key': 'API-J2', 'x-zpl-callback-url': `${edge}/callbacks/api-j2` });
    expect(joinedReply.status).toBe(202);
    const joined = (await joinedReply.json()) as { execution: string; joined: boolean; follower: string };
    expect(joined).toMatchObject({ execution: run.execution, joined: true, follower: expect.stringMatching(/-j[0-9a-f]{16}$/) });
    release();

    const done = await finish(stack, run.execution);
    expect(done.report?.failed).toBeUndefined();
    await finishFlow(stack, FOLLOW_FLOW, joined.follower);
    for (const name of ['api-j1', 'api-j2']) {
      expect(callbacksTo(name), name).toHaveLength(1);
      expect(callbacksTo(name)[0]).toMatchObject({ signatureValid: true, body: { type: 'zpl.link.succeeded', execution: run.execution } });
    }
    const runs = provisionRuns();
    const replay = await post(specIn(2), { 'idempotency-key': 'API-J2', 'x-zpl-callback-url': `${edge}/callbacks/api-j2` });
    expect(replay.status).toBe(200);
    expect(await replay.json()).toMatchObject({ execution: run.execution, joined: true, follower: joined.follower });
    expect(provisionRuns()).toBe(runs);
    expect(callbacksTo('api-j2')).toHaveLength(1);
  });

  it('a run stopped before its report still answers its joined ticket (Run.Stopped)', async () => {
    const release = stack.emulators.clock.hold();
    const first = await deliver(ticket('T-S1', specIn(4)));
    const joined = await deliver(ticket('T-S2', specIn(4)));
    expect(joined).toMatchObject({ joined: true, execution: first.execution });
    stack.engine.engine.stopExecution(PROVISION_FLOW, first.execution, 'Test.Stopped', 'stopped by hand');
    release();
    expect((await finish(stack, first.execution)).rec.status).toBe('Stopped');
    expect((await finishFlow(stack, FOLLOW_FLOW, joined.follower!)).status).toBe('Failed');
    expect(callbacksTo('T-S2')).toHaveLength(1);
    expect(callbacksTo('T-S2')[0]!.body).toMatchObject({
      type: 'zpl.link.failed',
      ticketId: 'T-S2',
      execution: first.execution,
      report: { ok: false, failed: { step: 'Join', code: 'Run.Stopped' } },
    });
  });

  it('a callback URL off the allowlist is refused (422) before anything starts', async () => {
    const [runs, calls] = [provisionRuns(), stack.emulators.calls.calls.length];
    const r = await post(demoSpec(), { 'x-zpl-callback-url': 'https://tickets.example.net/cb' });
    expect(r.status).toBe(422);
    expect(await r.json()).toMatchObject({ error: { code: 'callback.refused', fields: [{ field: 'X-Zpl-Callback-Url' }] } });
    expect([provisionRuns(), stack.emulators.calls.calls.length]).toEqual([runs, calls]);
  });
});

describe('a request for another spec while a run is in flight', () => {
  it('is refused naming the difference (API 409, a ticket answered with Link.SpecDiffers once, CLI exit 3); nothing of it is applied', async () => {
    const other = specIn(3, { clusters: [clusterId(3), DEMO.secondClusterId], tags: { team: 'search' } });
    const release = stack.emulators.clock.hold();
    const first = await deliver(ticket('T-D1', specIn(3)));
    const runs = provisionRuns();

    const api = await post(other, { 'idempotency-key': 'API-D1' });
    expect(api.status).toBe(409);
    const refusal = (await api.json()) as { error: { code: string; message: string; fields: { field: string; message: string }[] } };
    expect(refusal.error.code).toBe('link.spec_differs');
    expect(refusal.error.message).toContain(first.execution);
    expect(refusal.error.fields.map((f) => f.field)).toEqual(['clusters', 'tags']);
    expect(refusal.error.fields[0]!.message).toMatch(new RegExp(`adds ${DEMO.secondClusterId}`));

    const refusedTicket = ticket('T-D2', other);
    const intake = await deliver(refusedTicket);
    expect(intake).toMatchObject({ accepted: false, code: 'link.spec_differs', follower: expect.stringMatching(/-j[0-9a-f]{16}$/) });
    expect(intake.fields!.map((f) => f.field)).toEqual(['clusters', 'tags']);

    const file = join(mkdtempSync(join(tmpdir(), 'zpl-join-')), 'other.yaml');
    writeFileSync(file, stringify(other));
    const cli = await zpl(['apply', '-f', file]);
    expect(cli.code, cli.stdout + cli.stderr).toBe(3);
    expect(cli.stderr).toContain(`is being provisioned by execution ${first.execution} with a different spec (clusters, tags)`);
    expect(cli.stderr).toMatch(new RegExp(`- clusters: .*adds ${DEMO.secondClusterId}`));
    const same = join(mkdtempSync(join(tmpdir(), 'zpl-join-')), 'same.yaml');
    writeFileSync(same, stringify(specIn(3)));
    const joined = await zpl(['apply', '-f', same]);
    expect(joined.code).toBe(0);
    expect(joined.stdout).toContain(`joined running execution ${first.execution}`);
    expect(provisionRuns()).toBe(runs);
    release();

    expect((await finish(stack, first.execution)).rec.status).toBe('Succeeded');
    expect((await finishFlow(stack, FOLLOW_FLOW, intake.follower!)).status).toBe('Failed');
    const answer = callbacksTo('T-D2');
    expect(answer).toHaveLength(1);
    expect(answer[0]!.body).toMatchObject({
      type: 'zpl.link.failed',
      ticketId: 'T-D2',
      execution: first.execution,
      report: { ok: false, failed: { step: 'Join', code: 'Link.SpecDiffers' } },
    });
    expect(outcomesOf(first.execution).find((e) => e.id === intake.follower)).toMatchObject({
      type: 'zpl.link.failed',
      data: { ticketId: 'T-D2' },
    });
    // Never folded in: the run provisioned the first spec only.
    const records = [...stack.emulators.world.zones.values()].flatMap((z) => z.records.map((r) => r.rr));
    expect(records.filter((rr) => rr.startsWith(DEMO.secondClusterId))).toEqual([]);
    expect(callbacksTo('T-D1')).toHaveLength(1);

    // The refused ticket redelivered: the same answer, no second callback.
    expect(await deliver(refusedTicket)).toMatchObject({ accepted: false, code: 'link.spec_differs', follower: intake.follower });
    expect(callbacksTo('T-D2')).toHaveLength(1);
  });

  it('asked again once the run has ended, the other spec runs and its extra cluster gets its record', async () => {
    const other = specIn(3, { clusters: [clusterId(3), DEMO.secondClusterId], tags: { team: 'search' } });
    const r = await post(other, { 'idempotency-key': 'API-D1' });
    expect(r.status).toBe(202);
    const run = (await r.json()) as { execution: string; joined: boolean };
    expect(run.joined).toBe(false);
    expect((await finish(stack, run.execution)).rec.status).toBe('Succeeded');
    const records = [...stack.emulators.world.zones.values()].flatMap((z) => z.records.map((x) => x.rr));
    expect(records.filter((rr) => rr.startsWith(DEMO.secondClusterId))).toHaveLength(1);
  });
});
