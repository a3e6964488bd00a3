import { subscribe, tracingChannel } from 'node:diagnostics_channel';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { currentExchange, EmulatedClock, type Exchange } from './emulated-clock.ts';

/**
 * Which work is in flight in the local world, for the emulated clock: every HTTP exchange with
 * one of the world's servers, from the moment a client in this process makes the request
 * (undici's `undici:request:create`) until its reply has been read (`…:trailers`/`…:error`),
 * and the emulated network's DNS queries and dials (`zpl:local-network`). Servers are found by
 * port. The client side tags each request with `x-zpl-exchange` so the server side knows it is
 * the same exchange; a request from another process starts its exchange at the server.
 */
export const EXCHANGE_HEADER = 'x-zpl-exchange';

const clocksByPort = new Map<number, EmulatedClock>();
const exchanges = new Map<string, Exchange>();
const byRequest = new WeakMap<object, Exchange>();
let counter = 0;
let subscribed = false;

/** The emulated network's I/O (shared/net/address-map.ts publishes it; no subscriber, no cost). */
export const LOCAL_NETWORK_CHANNEL = 'zpl:local-network';

interface UndiciRequest {
  origin: string | URL;
  path: string;
  addHeader(name: string, value: string): unknown;
}

function portOf(origin: string | URL): number | undefined {
  try {
    const u = new URL(String(origin));
    if (!/^(127\.|localhost$|\[::1\]$)/.test(u.hostname)) return undefined;
    return Number(u.port || (u.protocol === 'https:' ? 443 : 80));
  } catch {
    return undefined;
  }
}

function subscribeOnce() {
  if (subscribed) return;
  subscribed = true;
  subscribe('undici:request:create', (message) => {
    const { request } = message as { request: UndiciRequest };
    const port = portOf(request.origin);
    const clock = port === undefined ? undefined : clocksByPort.get(port);
    if (!clock) return;
    const x: Exchange = { id: `${process.pid}-${++counter}`, clock, phase: 'closed', idle: 0, fromClient: true };
    exchanges.set(x.id, x);
    byRequest.set(request, x);
    request.addHeader(EXCHANGE_HEADER, x.id);
    clock.update(x, () => (x.phase = 'in'));
  });
  const done = (message: unknown) => {
    const { request } = message as { request: object };
    const x = byRequest.get(request);
    if (!x) return;
    byRequest.delete(request);
    exchanges.delete(x.id);
    x.clock.update(x, () => (x.phase = 'closed'));
  };
  subscribe('undici:request:trailers', done);
  subscribe('undici:request:error', done);

  const network = tracingChannel<unknown, { target: string; clock?: EmulatedClock }>(LOCAL_NETWORK_CHANNEL);
  network.subscribe({
    start(ctx) {
      const port = Number(ctx.target.slice(ctx.target.lastIndexOf(':') + 1));
      ctx.clock = clocksByPort.get(port);
      ctx.clock?.workStarted();
    },
    end() {},
    asyncStart() {},
    asyncEnd(ctx) {
      ctx.clock?.workEnded();
    },
    error() {},
  });
}

/** Counts the I/O of the emulated network toward `clock` (resolvers and listeners on `port`). */
export function claimPort(clock: unknown, port: number): void {
  if (!(clock instanceof EmulatedClock)) return;
  subscribeOnce();
  clocksByPort.set(port, clock);
}

export function releasePort(port: number): void {
  clocksByPort.delete(port);
}

/**
 * Wraps a request listener so each request counts as work of `clock` until its reply is sent,
 * and runs in that exchange's context (a server-side `clock.sleep` then counts as idle).
 */
export function serveWith(clock: unknown, listener: (req: IncomingMessage, res: ServerResponse) => void) {
  if (!(clock instanceof EmulatedClock)) return listener;
  return (req: IncomingMessage, res: ServerResponse) => {
    const id = req.headers[EXCHANGE_HEADER];
    const known = typeof id === 'string' ? exchanges.get(id) : undefined;
    const x: Exchange =
      known && known.clock === clock ? known : { id: `server-${++counter}`, clock, phase: 'closed', idle: 0, fromClient: false };
    clock.update(x, () => (x.phase = 'server'));
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      if (x.phase === 'server') clock.update(x, () => (x.phase = x.fromClient ? 'out' : 'closed'));
    };
    res.once('finish', finish);
    res.once('close', finish);
    currentExchange.run(x, () => listener(req, res));
  };
}

/** Registers a listening server's port with `clock` (and drops it when the server closes). */
export function claimServer(clock: unknown, server: Server): void {
  const port = (server.address() as AddressInfo).port;
  claimPort(clock, port);
  server.once('close', () => releasePort(port));
}
