import { tracingChannel } from 'node:diagnostics_channel';
import { readFileSync } from 'node:fs';
import * as z from '../zod.ts';
import { dial, newResolver, resolveWith, type Network } from './network.ts';

/**
 * The local stack's address map: the emulated VPC resolver and private addresses (10.x ENI
 * IPs) live on loopback listeners. Through it, the verify step runs unchanged and nothing is
 * ever sent outside 127.0.0.0/8: an address without a mapping is refused, never dialled.
 */
export const addressMapSchema = z.object({
  /** VPC ID → loopback `host:port` of the resolver that answers for it. */
  resolvers: z.record(z.string(), z.string()),
  /** `ip:port` inside the VPC → loopback `host:port`. */
  hosts: z.record(z.string(), z.string()),
});
export type AddressMap = z.infer<typeof addressMapSchema>;

const LOOPBACK = /^127(\.\d{1,3}){3}:\d+$/;

/** Published for the local stack's emulated clock, which counts this I/O as work (no subscriber: no cost). */
const io = tracingChannel<unknown, { target: string }>('zpl:local-network');

function loopback(target: string, what: string): { host: string; port: number } {
  if (!LOOPBACK.test(target)) throw new Error(`the address map sends ${what} to ${target}, which is not a loopback address`);
  const i = target.lastIndexOf(':');
  return { host: target.slice(0, i), port: Number(target.slice(i + 1)) };
}

/** Reads the map file anew on every use: the stack rewrites it as endpoints come and go. */
export function mappedNetwork(mapFile: string): Network {
  const read = (): AddressMap => addressMapSchema.parse(JSON.parse(readFileSync(mapFile, 'utf8')));
  return {
    // The local stack runs a resolver per emulated VPC: it sees from inside any of them.
    cannotSee: () => undefined,
    async resolve(host, vpcId) {
      const target = read().resolvers[vpcId];
      if (!target) throw new Error(`the local stack has no resolver for ${vpcId}`);
      const { host: ip, port } = loopback(target, `the resolver of ${vpcId}`);
      // Loading the resolver module is work too: outside the trace, emulated time could move meanwhile.
      const lookUp = async () => {
        const resolver = await newResolver({ timeout: 1000, tries: 2 });
        resolver.setServers([`${ip}:${port}`]);
        return resolveWith(resolver, host);
      };
      const answer = await io.tracePromise(lookUp, { target: `${ip}:${port}` });
      return { ...answer, resolver: `${ip}:${port}` };
    },
    async connect(ip, port, timeoutMs) {
      const target = read().hosts[`${ip}:${port}`];
      if (!target) throw new Error(`${ip}:${port} does not answer in the local stack (nothing listens there)`);
      const to = loopback(target, `${ip}:${port}`);
      await io.tracePromise(() => dial(to.host, to.port, timeoutMs), { target: `${to.host}:${to.port}` });
      return `${to.host}:${to.port}`;
    },
  };
}
