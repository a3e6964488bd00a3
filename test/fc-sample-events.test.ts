import { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CloudFlowApi, Execution } from '../shared/aliyun/cloudflow.ts';
import { linkId } from '../shared/derived.ts';
import { LINK_REQUESTED, takeDelivery, type IntakeDeps } from '../shared/events/link-requested.ts';
import { parseEvent, type FcContext } from '../shared/fc-context.ts';
import { DRIFT_FLOW, PROVISION_FLOW } from '../shared/flow-names.ts';
import { fcHttpHandler, httpTriggerEvent, toRequest } from '../shared/http/fc-http.ts';
import { silentLogger } from '../shared/log.ts';
import { handler as driftHandler } from '../functions/drift/index.ts';
import { handler as eventsHandler } from '../functions/events/index.ts';
import { reference } from './support/metadata.ts';

/**
 * The product's trigger-event readers, fed Alibaba's own sample events (vendored with their
 * values unchanged in `test/reference/fc3/`, see its README) rather than events the project
 * wrote itself: a reader that mis-parses the real shape fails here.
 *
 * - HTTP trigger: devsapp/fc3's samples → `shared/http/fc-http.ts`.
 * - Timer trigger: the FC 3.0 documentation's sample → `functions/drift` (via `parseEvent`).
 * - EventBridge: the EventBridge documentation's custom-bus CloudEvent and the FC 3.0
 *   documentation's batch (an array) → `shared/events/link-requested.ts` and `functions/events`.
 *
 * The two functions reach CloudFlow only through `cloudFlowFromContext`; it is replaced below by
 * an in-memory CloudFlow that records what would have been started, so no stack is needed.
 */

const cloud = vi.hoisted(() => ({ flows: undefined as unknown }));
vi.mock('../shared/http/config.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../shared/http/config.ts')>()),
  cloudFlowFromContext: () => cloud.flows,
}));
afterEach(() => {
  vi.unstubAllEnvs();
});

/** CloudFlow as far as the readers use it: `list` by name prefix and `start`. */
function memoryFlows() {
  const executions: (Execution & { FlowName: string })[] = [];
  const started: { flow: string; name: string | undefined; input: unknown }[] = [];
  const api = {
    async list(flow: string, filter: { prefix?: string } = {}) {
      return executions.filter((e) => e.FlowName === flow && e.Name.startsWith(filter.prefix ?? ''));
    },
    async start(flow: string, name: string | undefined, input: unknown) {
      started.push({ flow, name, input });
      const execution = {
        FlowName: flow,
        Name: name ?? `auto-${started.length}`,
        Status: 'Running',
        Input: JSON.stringify(input),
      } as unknown as Execution & { FlowName: string };
      executions.push(execution);
      return execution;
    },
  };
  return { api: api as unknown as CloudFlowApi, started };
}

const fcContext = (region = 'cn-hangzhou'): FcContext => ({
  requestId: 'req-sample',
  credentials: { accessKeyId: 'STS.sample', accessKeySecret: 'sample', securityToken: 'sample' },
  function: { name: 'zpl-sample', handler: 'index.handler', memory: 128, timeout: 30, qualifier: 'LATEST' },
  region,
  accountId: '1752999815600000',
});

const SAMPLES = ['http-trigger-event.json', 'http-trigger-event-e2e.json'] as const;
const PATH = '/2023-03-30/functions/fc3-event-test-http-trigger-Darwin-x86_64/invocations';
const DOMAIN = '143**********149.cn-huhehaote.fc.aliyuncs.com';

describe.each(SAMPLES)('FC 3.0 HTTP-trigger sample %s', (file) => {
  const raw = reference(`fc3/${file}`);
  const sample = JSON.parse(raw) as { headers: Record<string, string> };

  it('is accepted by the trigger-event schema with the values the sample carries', () => {
    const event = httpTriggerEvent.parse(JSON.parse(raw));
    expect(event).toMatchObject({
      version: 'v1',
      rawPath: PATH,
      queryParameters: {},
      body: 'haha',
      isBase64Encoded: false,
      requestContext: { requestId: '', domainName: DOMAIN, http: { method: 'POST', path: PATH, sourceIp: '112.10.236.5' } },
    });
    expect(event.headers).toEqual(sample.headers);
    expect(event.headers['X-Acs-Action']).toBe('InvokeFunction');
  });

  it('becomes the request it describes: method, URL, headers, query and body', async () => {
    const request = toRequest(httpTriggerEvent.parse(JSON.parse(raw)));
    expect(request.method).toBe('POST');
    const url = new URL(request.url);
    expect(url.protocol).toBe('https:');
    expect(url.host).toBe(DOMAIN);
    expect(url.pathname).toBe(PATH);
    expect(url.search).toBe('');
    // Header names are case-insensitive; every header of the sample arrives with its value.
    for (const [name, value] of Object.entries(sample.headers)) expect(request.headers.get(name), name).toBe(value);
    expect(request.headers.get('content-type')).toBe('application/octet-stream');
    expect(request.headers.get('x-acs-date')).toBe('2023-08-17T14:08:11Z');
    expect(await request.text()).toBe('haha');
  });

  it('decodes the body when the same event says it is base64 (FC does so for binary bodies)', async () => {
    const encoded = { ...JSON.parse(raw), body: Buffer.from('haha').toString('base64'), isBase64Encoded: true };
    expect(await toRequest(httpTriggerEvent.parse(encoded)).text()).toBe('haha');
  });

  it('reaches a router through fcHttpHandler as the raw bytes FC hands the function', async () => {
    const seen: { method: string; path: string; query: Record<string, string>; headers: Record<string, string>; body: string }[] = [];
    const app = new Hono().all('*', async (c) => {
      seen.push({ method: c.req.method, path: c.req.path, query: c.req.query(), headers: c.req.header(), body: await c.req.text() });
      return c.json({ ok: true }, 201, { 'x-reply': 'yes' });
    });
    const reply = await fcHttpHandler(() => app)(Buffer.from(raw, 'utf8'));
    expect(reply).toEqual({
      statusCode: 201,
      headers: expect.objectContaining({ 'content-type': 'application/json', 'x-reply': 'yes' }),
      body: '{"ok":true}',
      isBase64Encoded: false,
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'POST', path: PATH, query: {}, body: 'haha' });
    expect(seen[0]!.headers).toMatchObject({
      'x-acs-action': 'InvokeFunction',
      'x-acs-version': '2023-03-30',
      'x-fc-log-type': 'Tail',
      'user-agent': sample.headers['User-Agent'],
    });
  });
});

describe('FC 3.0 timer-trigger sample (timer-trigger-event.json)', () => {
  const raw = reference('fc3/timer-trigger-event.json');
  let flows: ReturnType<typeof memoryFlows>;
  beforeEach(() => {
    flows = memoryFlows();
    cloud.flows = flows.api;
  });

  it('is read by parseEvent as the three string fields the documentation lists', () => {
    expect(parseEvent(Buffer.from(raw, 'utf8'))).toEqual({
      triggerTime: '2023-12-26T07:49:00Z',
      triggerName: 'timer-trigger',
      payload: 'awesome-fc',
    });
  });

  it('starts one drift execution named after the trigger minute; a trigger message that is not JSON means the defaults', async () => {
    const out = await driftHandler(Buffer.from(raw, 'utf8'), fcContext('cn-shanghai'));
    // The documented payload `awesome-fc` is free text: regions fall back to the function's region.
    expect(flows.started).toEqual([
      { flow: DRIFT_FLOW, name: 'drift-202312260749', input: { regions: ['cn-shanghai'], remediate: false } },
    ]);
    expect(out).toEqual({ execution: 'drift-202312260749', status: 'Running' });
  });

  it('reads the trigger message s.yaml configures when it arrives in the same envelope', async () => {
    // Only `payload` is replaced, by the JSON string s.yaml's timer trigger sets as its message.
    const event = { ...JSON.parse(raw), payload: '{"regions":["cn-beijing"],"remediate":true}' };
    expect(Object.keys(event)).toEqual(Object.keys(JSON.parse(raw)));
    await driftHandler(Buffer.from(JSON.stringify(event), 'utf8'), fcContext());
    expect(flows.started).toEqual([{ flow: DRIFT_FLOW, name: 'drift-202312260749', input: { regions: ['cn-beijing'], remediate: true } }]);
  });

  it("carries s.yaml's vars.driftRoles (the other accounts to check) as the input's roles; empty, none at all", async () => {
    const withRoles = (roles: string) => ({
      ...JSON.parse(raw),
      payload: `{"regions":["cn-beijing"],"remediate":false,"roles":"${roles}"}`,
    });
    await driftHandler(Buffer.from(JSON.stringify(withRoles('acs:ram::2234567890123456:role/zpl-link,tenant-42')), 'utf8'), fcContext());
    await driftHandler(Buffer.from(JSON.stringify(withRoles('')), 'utf8'), fcContext());
    expect(flows.started.map((s) => s.input)).toEqual([
      { regions: ['cn-beijing'], remediate: false, roles: [{ arn: 'acs:ram::2234567890123456:role/zpl-link', externalId: 'tenant-42' }] },
      { regions: ['cn-beijing'], remediate: false },
    ]);
  });
});

/** A valid `zpl.link.requested` payload as README § Ticketing automation documents it. */
const SPEC = {
  projectId: 'proj-4a1b2c3d4e5f6a7b8c9d',
  region: 'cn-hangzhou',
  accountId: '1752999815600000',
  vpcId: 'vpc-bp1sample000000000001',
  clusters: ['in01-0123456789abcdef'],
  zones: [{ zoneId: 'cn-hangzhou-h' }, { zoneId: 'cn-hangzhou-j' }],
};
const CALLBACK_HOST = 'tickets.example.com';
const linkData = (ticketId: string, spec: Record<string, unknown> = SPEC) => ({
  ticketId,
  spec,
  callbackUrl: `https://${CALLBACK_HOST}/callbacks/${ticketId}`,
});
/** The sample's envelope with only `type`, `source` and `data` replaced. */
const asLinkRequest = (sample: Record<string, unknown>, data: unknown) => ({
  ...sample,
  type: LINK_REQUESTED,
  source: 'ticketing.example',
  data,
});

describe('EventBridge custom-bus sample (eventbridge-trigger-event.json)', () => {
  const raw = reference('fc3/eventbridge-trigger-event.json');
  const sample = JSON.parse(raw) as Record<string, unknown>;
  let flows: ReturnType<typeof memoryFlows>;
  let deps: IntakeDeps;
  beforeEach(() => {
    flows = memoryFlows();
    deps = { flows: flows.api, callbackHosts: [CALLBACK_HOST], log: silentLogger };
    cloud.flows = flows.api;
    vi.stubEnv('ZPL_CALLBACK_HOSTS', CALLBACK_HOST);
  });

  it('is one CloudEvent object (not an array) carrying the Alibaba extension attributes', () => {
    const event = parseEvent(Buffer.from(raw, 'utf8'));
    expect(Array.isArray(event)).toBe(false);
    expect(event).toMatchObject({
      specversion: '1.0',
      id: 'ac0d574c-d862-4662-a87b-784e3d77****',
      source: 'my.httpSource',
      type: 'eventbridge:Events:HTTPEvent',
      datacontenttype: 'application/json',
      subject: 'acs:eventbridge:cn-hangzhou:175299981560****:eventbus/EventBridgeDemoBus/eventsource/my.httpSource',
      time: '2022-03-03T11:33:14.093+08:00',
      aliyunaccountid: '175299981560****',
      aliyunoriginalaccountid: '175299981560****',
      aliyuneventbusname: 'EventBridgeDemoBus',
      aliyunregionid: 'cn-hangzhou',
      aliyunpublishtime: '2022-03-03T03:33:14.097Z',
      aliyunpublishaddr: '42.120.XX.XX',
    });
  });

  it('as published (another type) is read as a CloudEvent and refused by type, starting nothing', async () => {
    const out = await takeDelivery(parseEvent(Buffer.from(raw, 'utf8')), deps);
    expect(out).toEqual([
      {
        accepted: false,
        eventId: 'ac0d574c-d862-4662-a87b-784e3d77****',
        code: 'event.unknown_type',
        reason: 'type eventbridge:Events:HTTPEvent is not zpl.link.requested',
      },
    ]);
    expect(flows.started).toEqual([]);
  });

  it('with a zpl.link.requested type and data, and every Alibaba envelope field kept, starts the provision run', async () => {
    const event = asLinkRequest(sample, linkData('T-1001'));
    expect(Object.keys(event).sort()).toEqual(Object.keys(sample).sort());
    const execution = `${linkId({ projectId: SPEC.projectId, region: 'cn-hangzhou', vpcId: SPEC.vpcId })}-p0001`;
    const out = await takeDelivery(parseEvent(Buffer.from(JSON.stringify(event), 'utf8')), deps);
    expect(out).toEqual([{ accepted: true, eventId: 'ac0d574c-d862-4662-a87b-784e3d77****', execution, joined: false }]);
    expect(flows.started).toHaveLength(1);
    expect(flows.started[0]).toMatchObject({
      flow: PROVISION_FLOW,
      name: execution,
      input: {
        spec: { ...SPEC, icmp: true, dnsLayout: 'region-zone', tags: {} },
        ticketId: 'T-1001',
        callback: { url: `https://${CALLBACK_HOST}/callbacks/T-1001` },
        source: 'eventbridge',
        requestKey: 'ticket:T-1001',
      },
    });
  });

  it('takes data handed over as a JSON string in the same envelope', async () => {
    const out = await takeDelivery(asLinkRequest(sample, JSON.stringify(linkData('T-1002'))), deps);
    expect(out).toMatchObject([{ accepted: true, eventId: 'ac0d574c-d862-4662-a87b-784e3d77****', joined: false }]);
    expect(flows.started[0]).toMatchObject({ flow: PROVISION_FLOW, input: { ticketId: 'T-1002', requestKey: 'ticket:T-1002' } });
  });

  describe('through functions/events, as the raw bytes FC hands the function', () => {
    const lines: string[] = [];
    beforeEach(() => {
      lines.length = 0;
      vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
        lines.push(String(chunk));
        return true;
      });
    });
    afterEach(() => vi.restoreAllMocks());

    it('starts the run and logs event.started with the sample event ID', async () => {
      const out = await eventsHandler(Buffer.from(JSON.stringify(asLinkRequest(sample, linkData('T-1003'))), 'utf8'), fcContext());
      expect(out).toMatchObject([{ accepted: true, eventId: 'ac0d574c-d862-4662-a87b-784e3d77****', joined: false }]);
      expect(flows.started).toHaveLength(1);
      const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(logged).toEqual([
        expect.objectContaining({
          level: 'info',
          event: 'event.started',
          eventId: 'ac0d574c-d862-4662-a87b-784e3d77****',
          function: 'zpl-events',
          requestId: 'req-sample',
        }),
      ]);
    });
  });
});

describe('FC 3.0 EventBridge batch sample (eventbridge-trigger-event-batch.json)', () => {
  const raw = reference('fc3/eventbridge-trigger-event-batch.json');
  const batch = JSON.parse(raw) as Record<string, unknown>[];
  const IDS = ['c2g71017-6f65-fhcf-a814-a396fc8d****', 'd2g71017-6f65-fhcf-a814-a396fc8d****'];
  let flows: ReturnType<typeof memoryFlows>;
  let deps: IntakeDeps;
  beforeEach(() => {
    flows = memoryFlows();
    deps = { flows: flows.api, callbackHosts: [CALLBACK_HOST], log: silentLogger };
    cloud.flows = flows.api;
    vi.stubEnv('ZPL_CALLBACK_HOSTS', CALLBACK_HOST);
  });

  it('is an array of CloudEvents, each with the Alibaba extension attributes', () => {
    const events = parseEvent(Buffer.from(raw, 'utf8'));
    expect(Array.isArray(events)).toBe(true);
    expect((events as unknown[]).map((e) => (e as { id: string }).id)).toEqual(IDS);
    for (const e of events as unknown[]) {
      expect(e).toMatchObject({
        specversion: '1.0',
        type: 'mns:Queue:SendMessage',
        aliyuneventbusname: 'MNS-Function-mnstrigger',
        aliyunregionid: 'cn-chengdu',
        aliyunoriginalaccountid: '164901546557****',
        aliyunpublishaddr: '42.120.XX.XX',
      });
    }
  });

  it('as published is taken event by event: two refusals by type, in order, nothing started', async () => {
    const out = await takeDelivery(parseEvent(Buffer.from(raw, 'utf8')), deps);
    expect(out.map((o) => [o.accepted, o.eventId, !o.accepted && o.code])).toEqual([
      [false, IDS[0], 'event.unknown_type'],
      [false, IDS[1], 'event.unknown_type'],
    ]);
    expect(flows.started).toEqual([]);
  });

  it('with each element turned into a link request, starts one run per link through functions/events', async () => {
    const second = { ...SPEC, vpcId: 'vpc-bp1sample000000000002' };
    const events = [asLinkRequest(batch[0]!, linkData('T-2001')), asLinkRequest(batch[1]!, linkData('T-2002', second))];
    for (const [i, e] of events.entries()) expect(Object.keys(e).sort()).toEqual(Object.keys(batch[i]!).sort());
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const out = await eventsHandler(Buffer.from(JSON.stringify(events), 'utf8'), fcContext());
      expect(out).toEqual([
        { accepted: true, eventId: IDS[0], execution: `${linkId({ ...SPEC, region: 'cn-hangzhou' })}-p0001`, joined: false },
        { accepted: true, eventId: IDS[1], execution: `${linkId({ ...second, region: 'cn-hangzhou' })}-p0001`, joined: false },
      ]);
    } finally {
      vi.restoreAllMocks();
    }
    expect(flows.started.map((s) => (s.input as { ticketId: string }).ticketId)).toEqual(['T-2001', 'T-2002']);
  });
});
