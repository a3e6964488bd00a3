import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signatureBase } from '../shared/http/auth.ts';
import type { HttpTriggerEvent } from '../shared/http/fc-http.ts';
import type { PublishedEvent } from './engine/run.ts';
import type { LocalFunctions } from './engine/local-functions.ts';

/**
 * The local stack's front door, on loopback: the HTTP API (`functions/api`, called as FC's HTTP
 * trigger calls it), CloudEvents in (`POST /events` → `functions/events`, as EventBridge
 * delivers them), the event bus the flows publish to, and a callback sink standing in for a
 * ticketing system (it checks each callback's signature and can be told to fail).
 */

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
  private failures = 0;
  private server?: Server;
  url = '';

  constructor(
    private readonly functions: LocalFunctions,
    private readonly callbackSecret: string,
  ) {}

  /** The event bus: what `EventBridge:PutEvents` tasks hand over. */
  publish = async (event: PublishedEvent): Promise<void> => {
    this.published.push(event);
  };

  /** The sink answers 503 to the next `n` callbacks (to exercise retries). */
  failNextCallbacks(n: number) {
    this.failures = n;
  }

  async start(port = 0): Promise<string> {
    this.server = createServer((req, res) => void this.route(req, res));
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', () => resolve()));
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
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const c of req) {
        size += (c as Buffer).length;
        // Far above the API's own 64 KiB limit: the API itself must answer oversize bodies.
        if (size > 8 * 1024 * 1024) return send(res, 413, { error: { code: 'request.too_large', message: 'too large' } });
        chunks.push(c as Buffer);
      }
      const body = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', this.url);
      if (req.method === 'POST' && url.pathname === '/events') return await this.events(body, res);
      if (req.method === 'POST' && url.pathname.startsWith('/callbacks/')) return this.sink(req, url.pathname, body, res);
      if (req.method === 'GET' && url.pathname === '/__local/published') return send(res, 200, { events: this.published });
      if (req.method === 'GET' && url.pathname === '/__local/callbacks') return send(res, 200, { callbacks: this.callbacks });
      return await this.api(req, url, body, res);
    } catch (e) {
      console.error('local edge bug:', e);
      send(res, 500, { error: { code: 'internal', message: 'local edge error' } });
    }
  }

  private async api(req: IncomingMessage, url: URL, body: Buffer, res: ServerResponse) {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(',') : v;
    const event: HttpTriggerEvent = {
      version: 'v1',
      rawPath: url.pathname,
      headers,
      queryParameters: Object.fromEntries(url.searchParams),
      body: body.toString('base64'),
      isBase64Encoded: true,
      requestContext: { requestId: randomUUID(), domainName: url.host, http: { method: req.method ?? 'GET', path: url.pathname, sourceIp: req.socket.remoteAddress ?? '' } },
    };
    const { Body } = await this.functions.invoke('acs:fc:::functions/api/LATEST', event);
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
    const { Body } = await this.functions.invoke('acs:fc:::functions/events/LATEST', parsed);
    send(res, 200, Body);
  }

  private sink(req: IncomingMessage, path: string, body: Buffer, res: ServerResponse) {
    const timestamp = String(req.headers['x-zpl-timestamp'] ?? '');
    const given = String(req.headers['x-zpl-signature'] ?? '');
    const expected = `v1=${createHmac('sha256', this.callbackSecret).update(signatureBase('POST', path, timestamp, body)).digest('hex')}`;
    const signatureValid = given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
    const status = this.failures > 0 ? 503 : signatureValid ? 200 : 401;
    if (this.failures > 0) this.failures--;
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      parsed = body.toString('utf8');
    }
    this.callbacks.push({ path, body: parsed, attempt: Number(req.headers['x-zpl-delivery-attempt'] ?? 0), signatureValid, status });
    send(res, status, { received: status === 200 });
  }
}

function send(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
