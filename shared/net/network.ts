import type { Resolver } from 'node:dns/promises';

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
  /**
   * Why names cannot be checked from inside `vpcId` from here, or undefined when they can.
   * PrivateZone answers only in the VPCs a zone is bound to (pvtz BindZoneVpc), so a resolver
   * in any other VPC says nothing about the link's VPC.
   */
  cannotSee(vpcId: string): string | undefined;
  resolve(host: string, vpcId: string): Promise<DnsAnswer>;
  /** Resolves with the address actually dialled once the TCP handshake completes. */
  connect(ip: string, port: number, timeoutMs: number): Promise<string>;
}

/**
 * A resolver, with `node:dns/promises` loaded on first use: only the steps that resolve names
 * pay for it (about 2 ms at start-up, as for `node:net` in `dial`); every other step's bundle
 * starts without either (bench/bundles.ts).
 */
export async function newResolver(options: ConstructorParameters<typeof Resolver>[0]): Promise<Resolver> {
  const dns = await import('node:dns/promises');
  return new dns.Resolver(options);
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

export async function dial(host: string, port: number, timeoutMs: number): Promise<void> {
  const { connect } = await import('node:net');
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

/**
 * Inside a VPC: the resolver the function's VPC configures, and direct sockets. `ownVpcId` is
 * the VPC the function runs in (s.yaml's vpcConfig, passed as ZPL_VERIFY_VPC_ID: FC 3.0's
 * invocation context does not carry the function's VPC); unknown means no VPC is vouched for.
 */
export const vpcNetwork = (ownVpcId: string | undefined): Network => ({
  cannotSee(vpcId) {
    if (!ownVpcId) return 'the verify function does not know its VPC (ZPL_VERIFY_VPC_ID is not set)';
    if (ownVpcId !== vpcId)
      return `the verify function runs in ${ownVpcId}, and PrivateZone answers only inside the VPCs its zone is bound to`;
    return undefined;
  },
  async resolve(host) {
    return { ...(await resolveWith(await newResolver({ timeout: 2000, tries: 2 }), host)), resolver: 'system' };
  },
  async connect(ip, port, timeoutMs) {
    await dial(ip, port, timeoutMs);
    return `${ip}:${port}`;
  },
});

/** Somewhere in no known VPC (a laptop, a function outside any VPC): verifies nothing. */
export const systemNetwork: Network = vpcNetwork(undefined);
