import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVISION_FLOW } from '../shared/flows.ts';
import { DEMO } from '../local/emulators/fixtures.ts';
import type { Stack } from '../local/stack.ts';
import { demoSpec, finish, startTestStack } from './support/provision.ts';

/**
 * Ticketing automation: CloudEvents in through `functions/events` (as EventBridge delivers
 * them), the flow's callback (signed, retried) and its outcome event on the bus.
 */

let stack: Stack;
let edge: string;
beforeAll(async () => {
  stack = await startTestStack();
  edge = stack.file.edgeUrl;
});
afterAll(async () => {
  await stack.stop();
});

let ids = 0;
const cloudEvent = (data: unknown, over: Record<string, unknown> = {}) => ({
  id: `evt-${++ids}`,
  source: 'acs.ticketing',
  type: 'zpl.link.requested',
  specversion: '1.0',
  datacontenttype: 'application/json',
  time: new Date().toISOString(),
  aliyunaccountid: DEMO.accountId,
  aliyunregionid: DEMO.region,
  data,
  ...over,
});
type Intake = { accepted: boolean; execution?: string; joined?: boolean; code?: string; reason?: string };
const deliver = async (body: unknown, rawBody?: string): Promise<Intake[]> => {
  const r = await fetch(`${edge}/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/cloudevents+json' },
    body: rawBody ?? JSON.stringify(body),
  });
  expect(r.status).toBe(200);
  return (await r.json()) as Intake[];
};
const executions = () => stack.engine.engine.listExecutions(PROVISION_FLOW).length;

describe('zpl.link.requested events', () => {
  it("start the link's run; a redelivered event joins it; the callback and the outcome event follow", async () => {
    const callbackUrl = `${edge}/callbacks/tickets/T-100`;
    const event = cloudEvent({ ticketId: 'T-100', spec: demoSpec(), callbackUrl });
    stack.edge.failNextCallbacks(2);
    const [first] = await deliver(event);
    expect(first).toMatchObject({ accepted: true, joined: false, execution: expect.stringMatching(/^zpl-[0-9a-f]{12}-p\d{4}$/) });
    const [again] = await deliver(event);
    expect(again).toMatchObject({ accepted: true, joined: true, execution: first!.execution });
    const [sameTicketNewEvent] = await deliver(cloudEvent({ ticketId: 'T-100', spec: demoSpec(), callbackUrl }));
    expect(sameTicketNewEvent!.execution).toBe(first!.execution);

    const run = await finish(stack, first!.execution!);
    expect(run.rec.status).toBe('Succeeded');
    // Delivered on the third attempt, signed every time.
    const calls = stack.edge.callbacks.filter((c) => c.path === '/callbacks/tickets/T-100');
    expect(calls.map((c) => [c.attempt, c.status, c.signatureValid])).toEqual([
      [1, 503, true],
      [2, 503, true],
      [3, 200, true],
    ]);
    expect(calls[2]!.body).toMatchObject({
      type: 'zpl.link.succeeded',
      ticketId: 'T-100',
      execution: first!.execution,
      report: { ok: true },
    });
    const published = stack.edge.published.filter((e) => e.id === first!.execution);
    expect(published).toEqual([
      expect.objectContaining({
        eventBusName: 'zilliz-privatelink',
        source: 'zilliz-privatelink',
        type: 'zpl.link.succeeded',
        subject: run.report!.linkId,
        data: expect.objectContaining({ ticketId: 'T-100' }),
      }),
    ]);
    // A redelivery after the run finished still starts nothing.
    const [late] = await deliver(event);
    expect(late).toMatchObject({ accepted: true, joined: true, execution: first!.execution });
  });

  it('a failed run is announced as zpl.link.failed', async () => {
    const [r] = await deliver(
      cloudEvent({ ticketId: 'T-200', spec: demoSpec({ clusters: ['in01-00000000000000ff'] }), callbackUrl: `${edge}/callbacks/T-200` }),
    );
    const run = await finish(stack, r!.execution!);
    expect(run.rec.status).toBe('Failed');
    expect(stack.edge.published.find((e) => e.id === r!.execution)).toMatchObject({ type: 'zpl.link.failed' });
    expect(stack.edge.callbacks.find((c) => c.path === '/callbacks/T-200')).toMatchObject({
      status: 200,
      signatureValid: true,
      body: { type: 'zpl.link.failed', report: { ok: false, failed: { step: 'Validate' } } },
    });
  });

  it('a batch delivery is taken event by event', async () => {
    const out = await deliver([
      cloudEvent({ ticketId: 'T-300', spec: demoSpec({ clusters: [DEMO.secondClusterId] }) }),
      cloudEvent({ nope: true }),
    ]);
    expect(out.map((o) => o.accepted)).toEqual([true, false]);
    await finish(stack, out[0]!.execution!);
  });
});

const spec = demoSpec();
const badEvents: Record<string, { body?: unknown; raw?: string; code: string }> = {
  'not JSON': { raw: 'ticket please', code: 'event.malformed' },
  'JSON null': { body: null, code: 'event.malformed' },
  'a number': { body: 7, code: 'event.malformed' },
  'no id': { body: { ...cloudEvent({ ticketId: 'X-1', spec }), id: undefined }, code: 'event.malformed' },
  'no type': { body: { ...cloudEvent({ ticketId: 'X-1', spec }), type: undefined }, code: 'event.malformed' },
  'no source': { body: { ...cloudEvent({ ticketId: 'X-1', spec }), source: undefined }, code: 'event.malformed' },
  'no specversion': { body: { ...cloudEvent({ ticketId: 'X-1', spec }), specversion: undefined }, code: 'event.malformed' },
  'empty id': { body: cloudEvent({ ticketId: 'X-1', spec }, { id: '' }), code: 'event.malformed' },
  'another type': { body: cloudEvent({ ticketId: 'X-1', spec }, { type: 'zpl.link.deleted' }), code: 'event.unknown_type' },
  'an unrelated Alibaba event': {
    body: cloudEvent({ instanceId: 'i-1' }, { type: 'ecs:Instance:StateChange' }),
    code: 'event.unknown_type',
  },
  'data missing': { body: { ...cloudEvent({}), data: undefined }, code: 'event.bad_data' },
  'data a string that is not JSON': { body: cloudEvent('ticket X'), code: 'event.bad_data' },
  'data an array': { body: cloudEvent([]), code: 'event.bad_data' },
  'no ticketId': { body: cloudEvent({ spec }), code: 'event.bad_data' },
  'ticketId with spaces': { body: cloudEvent({ ticketId: 'X 1', spec }), code: 'event.bad_data' },
  'ticketId too long': { body: cloudEvent({ ticketId: 'X'.repeat(65), spec }), code: 'event.bad_data' },
  'ticketId a number': { body: cloudEvent({ ticketId: 42, spec }), code: 'event.bad_data' },
  'unknown data field': { body: cloudEvent({ ticketId: 'X-1', spec, priority: 'high' }), code: 'event.bad_data' },
  'no spec': { body: cloudEvent({ ticketId: 'X-1' }), code: 'spec.invalid' },
  'spec with a bad VPC': { body: cloudEvent({ ticketId: 'X-1', spec: { ...spec, vpcId: 'nope' } }), code: 'spec.invalid' },
  'spec with a serverless cluster': {
    body: cloudEvent({ ticketId: 'X-1', spec: { ...spec, clusters: ['in03-0123456789abcdef'] } }),
    code: 'spec.invalid',
  },
  'spec with an unknown field': { body: cloudEvent({ ticketId: 'X-1', spec: { ...spec, owner: 'me' } }), code: 'spec.invalid' },
  'spec with a zone of another region': {
    body: cloudEvent({ ticketId: 'X-1', spec: { ...spec, zones: [{ zoneId: 'cn-beijing-g' }] } }),
    code: 'spec.invalid',
  },
  'callback over plain HTTP to a public host': {
    body: cloudEvent({ ticketId: 'X-1', spec, callbackUrl: 'http://tickets.example.com/cb' }),
    code: 'callback.refused',
  },
  'callback to a host not on the allowlist': {
    body: cloudEvent({ ticketId: 'X-1', spec, callbackUrl: 'https://attacker.example.net/cb' }),
    code: 'callback.refused',
  },
  'callback to the metadata service': {
    body: cloudEvent({ ticketId: 'X-1', spec, callbackUrl: 'http://100.100.100.200/latest/meta-data' }),
    code: 'callback.refused',
  },
  'callback with credentials': {
    body: cloudEvent({ ticketId: 'X-1', spec, callbackUrl: 'https://user:pw@tickets.example.com/cb' }),
    code: 'callback.refused',
  },
  'callback not a URL': { body: cloudEvent({ ticketId: 'X-1', spec, callbackUrl: 'tickets' }), code: 'callback.refused' },
  'callback over FTP': { body: cloudEvent({ ticketId: 'X-1', spec, callbackUrl: 'ftp://127.0.0.1/cb' }), code: 'callback.refused' },
  'callback to another loopback port': {
    body: cloudEvent({ ticketId: 'X-1', spec, callbackUrl: 'http://127.0.0.1:1/cb' }),
    code: 'callback.refused',
  },
};

describe('bad events', () => {
  it.each(Object.entries(badEvents))('%s → refused (%j), nothing started, no cloud call', async (_name, c) => {
    const before = { executions: executions(), calls: stack.emulators.calls.calls.length };
    const out = await deliver(c.body, c.raw);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ accepted: false, code: c.code });
    expect({ executions: executions(), calls: stack.emulators.calls.calls.length }).toEqual(before);
  });
});
