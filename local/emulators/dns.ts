import type { PrivateZone } from './alibaba/pvtz/model.ts';
import type { World } from './world.ts';

/**
 * What the VPC's resolver answers, as PrivateZone makes it: names under a zone bound to the
 * VPC come from its records; a name the zone lacks falls through to public DNS when the zone's
 * recursive proxy is on (`RECORD`) and is NXDOMAIN otherwise. "Public" DNS here is only what
 * the world knows (endpoint domains → ENI IPs, seeded names): nothing is forwarded anywhere.
 */

export interface DnsRecordAnswer {
  name: string;
  type: 'A' | 'CNAME';
  data: string;
  ttl: number;
}

export interface DnsResult {
  rcode: 'NOERROR' | 'NXDOMAIN';
  answers: DnsRecordAnswer[];
}

const norm = (name: string) => name.toLowerCase().replace(/\.$/, '');

type Lookup = { records: DnsRecordAnswer[] } | { nx: true };

function privateLookup(world: World, vpcId: string, name: string): Lookup | undefined {
  let best: { zone: PrivateZone; len: number } | undefined;
  for (const zone of world.pvtz.zones.values()) {
    if (!zone.bindings.some((b) => b.vpcId === vpcId)) continue;
    const zn = norm(zone.zoneName);
    if ((name === zn || name.endsWith(`.${zn}`)) && (!best || zn.length > best.len)) best = { zone, len: zn.length };
  }
  const zone = best?.zone;
  if (!zone) return undefined;
  const zn = norm(zone.zoneName);
  const rr = name === zn ? '@' : name.slice(0, -(zn.length + 1));
  const records = zone.records.filter((r) => r.status === 'ENABLE' && r.rr.toLowerCase() === rr && (r.type === 'A' || r.type === 'CNAME'));
  if (records.length > 0)
    return { records: records.map((r) => ({ name, type: r.type as 'A' | 'CNAME', data: norm(r.value), ttl: r.ttl })) };
  return zone.proxyPattern === 'RECORD' ? undefined : { nx: true };
}

function publicLookup(world: World, name: string): Lookup {
  world.settle();
  const links = world.privatelink;
  for (const ep of links.endpoints.values()) {
    if (links.endpointStatus(ep) !== 'Active') continue;
    const ready = ep.zones.filter((z) => world.now() >= z.readyAt && z.removingAt === undefined);
    if (norm(links.endpointDomain(ep)) === name) return { records: ready.map((z) => ({ name, type: 'A', data: z.eniIp, ttl: 60 })) };
    const zone = ready.find((z) => norm(links.zoneDomain(ep, z)) === name);
    if (zone) return { records: [{ name, type: 'A', data: zone.eniIp, ttl: 60 }] };
  }
  const seeded = world.publicDns.filter((r) => norm(r.name) === name);
  if (seeded.length > 0) return { records: seeded.map((r) => ({ name, type: r.type, data: norm(r.value), ttl: 300 })) };
  return { nx: true };
}

/** Answers an A or CNAME question from inside `vpcId`, following CNAMEs as a recursive resolver does. */
export function resolveInVpc(world: World, vpcId: string, qname: string, qtype: 'A' | 'CNAME'): DnsResult {
  const answers: DnsRecordAnswer[] = [];
  let name = norm(qname);
  for (let hop = 0; hop < 8; hop++) {
    const found = privateLookup(world, vpcId, name) ?? publicLookup(world, name);
    if ('nx' in found) return { rcode: answers.length ? 'NOERROR' : 'NXDOMAIN', answers };
    const cname = found.records.find((r) => r.type === 'CNAME');
    if (cname) {
      answers.push(cname);
      if (qtype === 'CNAME') return { rcode: 'NOERROR', answers };
      name = cname.data;
      continue;
    }
    if (qtype === 'A') answers.push(...found.records.filter((r) => r.type === 'A'));
    return { rcode: 'NOERROR', answers };
  }
  return { rcode: 'NOERROR', answers };
}
