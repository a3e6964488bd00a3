import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { writeFileSync, renameSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import dnsPacket from 'dns-packet';
import type { AddressMap } from '../../shared/net/address-map.ts';
import { resolveInVpc } from './dns.ts';
import { claimPort } from '../time/activity.ts';
import type { World } from './world.ts';

/**
 * The emulated VPC network on loopback: a UDP resolver per VPC answering as PrivateZone does,
 * and a TCP listener for each endpoint ENI address once its zone is Connected (closed again when
 * it is not). The address map file tells the verify step where these live, so nothing it does
 * leaves 127.0.0.0/8.
 */
export class PrivateNetwork {
  private readonly resolvers = new Map<string, { socket: UdpSocket; address: string }>();
  private readonly listeners = new Map<string, { server: Server; address: string }>();
  private timer?: NodeJS.Timeout;
  private lastMap = '';
  private syncing: Promise<void> = Promise.resolve();

  constructor(
    private readonly world: World,
    private readonly mapFile: string,
    private readonly host = '127.0.0.1',
  ) {}

  async start(): Promise<void> {
    await this.sync();
    this.timer = setInterval(() => void this.sync(), 50);
    this.timer.unref();
  }

  /** Brings resolvers and listeners in line with the world; serialised, so overlapping calls wait. */
  sync(): Promise<void> {
    this.syncing = this.syncing.then(() => this.syncOnce()).catch((e: unknown) => console.error('network sync failed:', e));
    return this.syncing;
  }

  private async syncOnce(): Promise<void> {
    for (const vpcId of this.world.vpc.vpcs.keys())
      if (!this.resolvers.has(vpcId)) this.resolvers.set(vpcId, await this.startResolver(vpcId));
    const wanted = new Set<string>();
    this.world.settle();
    for (const ep of this.world.privatelink.endpoints.values()) {
      const ports = new Set([...this.world.zilliz.clusters.values()].filter((c) => c.regionId === `ali-${ep.regionId}`).map((c) => c.port));
      for (const zone of ep.zones) {
        if (this.world.privatelink.zoneStatus(ep, zone) !== 'Connected') continue;
        for (const port of ports) wanted.add(`${zone.eniIp}:${port}`);
      }
    }
    for (const [key, l] of this.listeners) {
      if (!wanted.has(key)) {
        this.listeners.delete(key);
        l.server.close();
      }
    }
    for (const key of wanted) if (!this.listeners.has(key)) this.listeners.set(key, await this.startListener());
    this.writeMap();
  }

  addressMap(): AddressMap {
    return {
      resolvers: Object.fromEntries([...this.resolvers].map(([vpc, r]) => [vpc, r.address])),
      hosts: Object.fromEntries([...this.listeners].map(([key, l]) => [key, l.address])),
    };
  }

  private writeMap() {
    const text = `${JSON.stringify(this.addressMap(), null, 2)}\n`;
    if (text === this.lastMap) return;
    const tmp = `${this.mapFile}.tmp`;
    writeFileSync(tmp, text);
    renameSync(tmp, this.mapFile);
    this.lastMap = text;
  }

  private async startResolver(vpcId: string) {
    const socket = createSocket('udp4');
    socket.on('message', (msg, rinfo) => {
      void this.answer(vpcId, msg).then((reply) => reply && socket.send(reply, rinfo.port, rinfo.address));
    });
    await new Promise<void>((resolve) => socket.bind(0, this.host, () => resolve()));
    socket.unref();
    claimPort(this.world.clock, (socket.address() as AddressInfo).port);
    return { socket, address: `${this.host}:${(socket.address() as AddressInfo).port}` };
  }

  private async answer(vpcId: string, msg: Buffer): Promise<Buffer | undefined> {
    let query: dnsPacket.Packet;
    try {
      query = dnsPacket.decode(msg);
    } catch {
      return undefined;
    }
    // Listeners must match the world before anyone dials what this answer names.
    await this.sync();
    const q = query.questions?.[0];
    const base = {
      id: query.id,
      type: 'response' as const,
      flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE,
      questions: query.questions,
    };
    if (!q || (q.type !== 'A' && q.type !== 'CNAME')) return dnsPacket.encode({ ...base, answers: [] });
    const result = resolveInVpc(this.world, vpcId, q.name, q.type);
    return dnsPacket.encode({
      ...base,
      flags: base.flags | (result.rcode === 'NXDOMAIN' ? 3 : 0),
      answers: result.answers.map((a) => ({ name: a.name, type: a.type, ttl: a.ttl, class: 'IN' as const, data: a.data })),
    });
  }

  private async startListener() {
    const server = createServer((socket) => {
      socket.on('error', () => undefined);
      socket.end();
    });
    await new Promise<void>((resolve) => server.listen(0, this.host, () => resolve()));
    server.unref();
    claimPort(this.world.clock, (server.address() as AddressInfo).port);
    return { server, address: `${this.host}:${(server.address() as AddressInfo).port}` };
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.syncing;
    for (const r of this.resolvers.values()) r.socket.close();
    await Promise.all([...this.listeners.values()].map((l) => new Promise<void>((resolve) => l.server.close(() => resolve()))));
    this.resolvers.clear();
    this.listeners.clear();
  }
}
