import { Resolver } from 'node:dns/promises';
import { connect } from 'node:net';

/**
 * What the verify step needs from the network inside the VPC: the VPC resolver's answer for a
 * name, and whether a TCP port accepts a connection. In the cloud (FC in the VPC) that is the
 * system resolver and plain sockets; locally, the same code through the stack's address map.
 */
export interface DnsAnswer {
  /** CNAME chain from the name, in order. */
  cnames: string[];
  addresses: string[];
  /** The resolver that answered (`host:port`, or `system`). */
  resolver: string;
}

export interface Network {
  resolve(host: string, vpcId: string): Promise<DnsAnswer>;
  /** Resolves with the address actually dialled once the TCP handshake completes. */
  connect(ip: string, port: number, timeoutMs: number): Promise<string>;
}

/** Resolves a name and its CNAME chain through one resolver (c-ares follows the chain). */
export async function resolveWith(resolver: Resolver, host: string): Promise<{ cnames: string[]; addresses: string[] }> {
  const cnames: string[] = [];
  let name = host;
  for (let hop = 0; hop < 8; hop++) {
    const next = await resolver.resolveCname(name).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENODATA' || e.code === 'ENOTFOUND') return [] as string[];
      throw e;
    });
    if (next.length === 0) break;
    cnames.push(next[0]!);
    name = next[0]!;
  }
  const addresses = await resolver.resolve4(host);
  return { cnames, addresses: [...addresses].sort() };
}

export function dial(host: string, port: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no TCP answer from ${host}:${port} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.end();
      resolve();
    });
    socket.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

/** Inside the VPC: the resolver the function's VPC configures, and direct sockets. */
export const systemNetwork: Network = {
  async resolve(host) {
    return { ...(await resolveWith(new Resolver({ timeout: 2000, tries: 2 }), host)), resolver: 'system' };
  },
  async connect(ip, port, timeoutMs) {
    await dial(ip, port, timeoutMs);
    return `${ip}:${port}`;
  },
};
