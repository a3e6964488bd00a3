import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { claimServer, serveWith } from '../time/activity.ts';
import { EmulatedClock, type ClockMode } from '../time/emulated-clock.ts';
import { ADMIN_PREFIX, adminApp } from './admin.ts';
import { AlibabaGateway } from './alibaba/gateway.ts';
import { CallLog } from './call-log.ts';
import { FaultBook } from './faults.ts';
import { DEFAULT_TIMINGS, type SeedInput, type Timings } from './fixtures.ts';
import { World } from './world.ts';
import { zillizApp } from './zilliz/app.ts';

export interface EmulatorOptions {
  /** How emulated time moves (default `events`: it skips ahead whenever the world is idle). */
  mode?: ClockMode;
  /** Emulated ms per real ms while idle, in `paced` mode. */
  pace?: number;
  clock?: EmulatedClock;
  seed?: SeedInput;
  timings?: Partial<Timings>;
  /** Loopback ports; 0 picks free ones. */
  alibabaPort?: number;
  zillizPort?: number;
  host?: string;
}

export interface Emulators {
  /** Base URL of the Alibaba RPC gateway (every product), e.g. http://127.0.0.1:8100 */
  alibabaUrl: string;
  /** Origin of the Zilliz control plane (paths start with /v2). */
  zillizUrl: string;
  /** Admin API base (under the Alibaba port). */
  adminUrl: string;
  world: World;
  clock: EmulatedClock;
  faults: FaultBook;
  calls: CallLog;
  close(): Promise<void>;
}

async function listen(server: Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

/** Starts the Alibaba and Zilliz emulators on loopback, sharing one world and one clock. */
export async function startEmulators(opts: EmulatorOptions = {}): Promise<Emulators> {
  const host = opts.host ?? '127.0.0.1';
  if (!/^127\.|^localhost$|^::1$/.test(host)) throw new Error('the emulators only listen on loopback');
  const clock = opts.clock ?? new EmulatedClock({ mode: opts.mode, pace: opts.pace });
  const world = new World(clock, { ...DEFAULT_TIMINGS, ...opts.timings });
  if (opts.seed) world.seed(opts.seed);
  const faults = new FaultBook(clock);
  const calls = new CallLog();

  const gateway = new AlibabaGateway(world, faults, calls);
  const admin = getRequestListener(adminApp(world, clock, faults, calls).fetch);
  // Node's default 16 KiB header limit is not Alibaba's: the official ECS SDK sends up to 100
  // `Permissions.N` rules of AuthorizeSecurityGroup in the query string (about 25 KiB).
  const alibaba = createServer(
    { maxHeaderSize: 64 * 1024 },
    serveWith(clock, (req, res) => {
      if (req.url?.startsWith(`${ADMIN_PREFIX}/`)) return void admin(req, res);
      void gateway.handle(req, res);
    }),
  );
  const zilliz = createServer(serveWith(clock, getRequestListener(zillizApp(world, faults, calls).fetch)));
  const alibabaPort = await listen(alibaba, opts.alibabaPort ?? 0, host);
  const zillizPort = await listen(zilliz, opts.zillizPort ?? 0, host);
  claimServer(clock, alibaba);
  claimServer(clock, zilliz);

  const close = (server: Server) =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return {
    alibabaUrl: `http://${host}:${alibabaPort}`,
    zillizUrl: `http://${host}:${zillizPort}`,
    adminUrl: `http://${host}:${alibabaPort}${ADMIN_PREFIX}`,
    world,
    clock,
    faults,
    calls,
    close: async () => {
      await Promise.all([close(alibaba), close(zilliz)]);
    },
  };
}
