import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { same, zplSignature } from '../shared/http/auth.ts';
import type { HttpTriggerEvent } from '../shared/http/fc-http.ts';
import type { PublishedEvent } from './engine/run.ts';
import { localArnOf } from './deployed-functions.ts';
import { EventBridgeModel, type Delivery } from './emulators/alibaba/eventbridge/model.ts';
import { FlowError } from './engine/flow-errors.ts';
import type { LocalFunctions } from './engine/local-functions.ts';
import { BodyTooLarge, readBody, sendJson } from './rpc/request.ts';
import { claimServer, serveWith } from './time/activity.ts';
import type { EmulatedClock } from './time/emulated-clock.ts';

/**
 * The local stack's front door, on loopback: the HTTP API (`functions/api`, called as FC's HTTP
 * trigger calls it), CloudEvents in (`POST /events` → `functions/events`, as EventBridge
 * delivers them), the event buses (what the flows publish, and `POST /__local/put-events` for a
 * ticketing system's PutEvents; each event goes to the FC targets of the rules it matches, as
 * the deploy step set them up), and a callback sink standing in for a ticketing system (it
 * checks each callback's signature and can be told to fail).
 */

/** One delivery of an accepted event to a rule's target. */
export interface DeliveryRecord {
  bus: string;
  rule: string;
  targetId: string;
  endpoint: string;
  eventId: string;
  reply?: unknown;
  error?: { code: string; message: string };
}

export interface CallbackRecord {
  path: string;
  body: unknown;
  attempt: number;
  signatureValid: boolean;
  status: number;
}

export class LocalEdge {
  readonly published: PublishedEvent[] = [];
  readonly callbacks: CallbackRecord[] = [];
  readonly deliveries: DeliveryRecord[] = [];
  private failures = 0;
  private server?: Server;
  url = '';

  constructor(
    private readonly functions: LocalFunctions,
    private readonly callbackSecret: string,
    private readonly clock?: EmulatedClock,
    /** The buses, rules and targets (the emulated control plane's, when the stack shares them). */
    readonly buses: EventBridgeModel = new EventBridgeModel(),
    private readonly account: { region: string; accountId: string } = { region: 'cn-hangzhou', accountId: '' },
  ) {}

  /** What `EventBridge:PutEvents` tasks (and `/__local/put-events`) hand over. */
  publish = async (event: PublishedEvent): Promise<void> => {
    const deliveries = this.buses.accept(event);
    this.published.push(event);
    for (const d of deliveries) await this.deliver(event, d);
  };

  /**
   * EventBridge pushes an accepted event to each matching rule's targets; an FC target gets the
   * CloudEvent envelope with Alibaba's extension attributes (test/reference/fc3/eventbridge-trigger-event.json).
   */
  private async deliver(event: PublishedEvent, d: Delivery) {
    const record: DeliveryRecord = {
      bus: event.eventBusName,
      rule: d.rule,
      targetId: d.target.Id,
      endpoint: String(d.target.Endpoint ?? ''),
      eventId: event.id,
    };
    this.deliveries.push(record);
    const arn = d.target.Type === 'acs.fc.function' ? localArnOf(record.endpoint) : undefined;
    if (!arn) {
      record.error = {
        code: 'EventBridge.TargetUnsupported',
        message: `the local edge delivers only to FC 3.0 function targets, not ${d.target.Type} ${record.endpoint}`,
      };
      return;
    }
    const envelope = {
      specversion: '1.0',
      id: event.id,
      source: event.source,
      type: event.type,
      ...(event.subject ? { subject: event.subject } : {}),
      datacontenttype: 'application/json',
      time: new Date(this.clock?.now() ?? Date.now()).toISOString(),
      aliyuneventbusname: event.eventBusName,
      aliyunaccountid: this.account.accountId,
      aliyunregionid: this.account.region,
      data: event.data,
    };
    try {
      record.reply = (await this.invoke(arn, envelope)).Body;
    } catch (e) {
      record.error =
        e instanceof FlowError ? { code: e.code, message: e.detail } : { code: 'FC.UnhandledInvocationError', message: String(e) };
    }
  }

  /** The sink answers 503 to the next `n` callbacks (to exercise retries). */
  failNextCallbacks(n: number) {
    this.failures = n;
  }

  async start(port = 0): Promise<string> {
    this.server = createServer(serveWith(this.clock, (req, res) => void this.route(req, res)));
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', () => resolve()));
    claimServer(this.clock, this.server);
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  private async route(req: IncomingMessage, res: ServerResponse) {
    try {
      // Far above the API's own 64 KiB limit: the API itself must answer oversize bodies.
      const body = await readBody(req, 8 * 1024 * 1024).catch((e: unknown) => {
        if (e instanceof BodyTooLarge) return undefined;
        throw e;
      });
      if (!body) return sendJson(res, 413, { error: { code: 'request.too_large', message: 'too large' } });
      const url = new URL(req.url ?? '/', this.url);
      if (req.method === 'POST' && url.pathname === '/events') return await this.events(body, res);
      if (req.method === 'POST' && url.pathname === '/__local/put-events') return await this.putEvents(url, body, res);
      if (req.method === 'POST' && url.pathname.startsWith('/callbacks/')) return this.sink(req, url, body, res);
      if (req.method === 'GET' && url.pathname === '/__local/published') return sendJson(res, 200, { events: this.published });
      if (req.method === 'GET' && url.pathname === '/__local/callbacks') return sendJson(res, 200, { callbacks: this.callbacks });
      return await this.api(req, url, body, res);
    } catch (e) {
      console.error('local edge bug:', e);
      sendJson(res, 500, { error: { code: 'internal', message: 'local edge error' } });
    }
  }

  private async api(req: IncomingMessage, url: URL, body: Buffer, res: ServerResponse) {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(',') : v;
    // The edge serves plain HTTP on loopback; it says so as a proxy would (the page's cookies are Secure only over HTTPS).
    headers['x-forwarded-proto'] = 'http';
    const event: HttpTriggerEvent = {
      version: 'v1',
      rawPath: url.pathname,
      headers,
      queryParameters: Object.fromEntries(url.searchParams),
      body: body.toString('base64'),
      isBase64Encoded: true,
      requestContext: {
        requestId: randomUUID(),
        domainName: url.host,
        http: { method: req.method ?? 'GET', path: url.pathname, sourceIp: req.socket.remoteAddress ?? '' },
      },
    };
    const { Body } = await this.invoke('acs:fc:::functions/api/LATEST', event);
    const reply = Body as { statusCode: number; headers: Record<string, string>; body: string };
    res.writeHead(reply.statusCode, reply.headers);
    res.end(reply.body);
  }

  private async events(body: Buffer, res: ServerResponse) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      parsed = body.toString('utf8');
    }
    const { Body } = await this.invoke('acs:fc:::functions/events/LATEST', parsed);
    sendJson(res, 200, Body);
  }

  /**
   * A ticketing system's PutEvents, locally: CloudEvents (one or an array) for the bus in
   * `aliyuneventbusname` or `?bus=`. The real data-plane wire (the EventBridge SDK's) is not
   * emulated (UNVERIFIED); what it checks is: the bus exists, custom sources stay off `default`.
   */
  private async putEvents(url: URL, body: Buffer, res: ServerResponse) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return sendJson(res, 400, { code: 'InvalidArgument', message: 'the body is not JSON' });
    }
    const events = (Array.isArray(parsed) ? parsed : [parsed]) as Record<string, unknown>[];
    const entries: { eventId: string; errorCode?: string; errorMessage?: string }[] = [];
    for (const e of events) {
      const event: PublishedEvent = {
        eventBusName: String(e.aliyuneventbusname ?? url.searchParams.get('bus') ?? ''),
        id: String(e.id ?? randomUUID()),
        source: String(e.source ?? ''),
        type: String(e.type ?? ''),
        ...(typeof e.subject === 'string' ? { subject: e.subject } : {}),
        data: e.data,
      };
      try {
        await this.publish(event);
        entries.push({ eventId: event.id });
      } catch (err) {
        const f = err instanceof FlowError ? err : new FlowError('EventBridge.InternalError', String(err));
        entries.push({ eventId: event.id, errorCode: f.code.replace(/^EventBridge\./, ''), errorMessage: f.detail });
      }
    }
    const failed = entries.filter((x) => x.errorCode).length;
    sendJson(res, failed === entries.length && failed > 0 ? 400 : 200, { failedEntryCount: failed, entryList: entries });
  }

  /** The request waits for the function; the function's own calls are what counts as work. */
  private invoke(arn: string, body: unknown) {
    const call = this.functions.invoke(arn, body);
    return this.clock ? this.clock.idleWhile(call) : call;
  }

  private sink(req: IncomingMessage, url: URL, body: Buffer, res: ServerResponse) {
    const path = url.pathname;
    const timestamp = String(req.headers['x-zpl-timestamp'] ?? '');
    const nonce = String(req.headers['x-zpl-nonce'] ?? '');
    const given = String(req.headers['x-zpl-signature'] ?? '');
    const signed = { method: 'POST', path, query: url.search, timestamp, nonce, body };
    const signatureValid = same(given, zplSignature(this.callbackSecret, signed));
    const status = this.failures > 0 ? 503 : signatureValid ? 200 : 401;
    if (this.failures > 0) this.failures--;
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      parsed = body.toString('utf8');
    }
    this.callbacks.push({ path, body: parsed, attempt: Number(req.headers['x-zpl-delivery-attempt'] ?? 0), signatureValid, status });
    sendJson(res, status, { received: status === 200 });
  }
}
