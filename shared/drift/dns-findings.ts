import { pool } from '../pool.ts';
import { remarkLinkId } from '../pvtz-remark.ts';
import { clusterHosts, isKnown } from '../steps/cluster-hosts.ts';
import type { StepDeps } from '../steps/types.ts';
import { fqdnOf, unlistedIn, wantedKey } from '../steps/unlisted-records.ts';
import { zplMade, type ListedZone } from '../steps/vpc-zone.ts';
import { keeperOf } from '../steps/zone-split.ts';
import type { Finding, ManagedLink } from './types.ts';

/**
 * The DNS part of a drift check, against the model EnsureDns converges to: each name served in
 * the link's VPC by the one zone of that name bound to it, holding a CNAME per cluster to the
 * link's endpoint, no record of the link that its spec no longer lists, no zpl zone also bound to
 * a VPC whose link did not ask for it, and no record sending the VPC to another VPC's endpoint.
 */

/**
 * What the DNS checks of a batch of links share: the zones bound to each of their VPCs (read once
 * per VPC), a zone's bindings where they matter (read at most once per zone: DescribeZones does not
 * list them), and from the region's whole fleet which VPCs have links and whose endpoints are whose.
 */
export interface DnsContext {
  zonesOf: Map<string, ListedZone[]>;
  /** The VPCs a zone is bound to (DescribeZoneInfo), read at most once per zone. */
  boundVpcs: (zoneId: string) => Promise<string[]>;
  linkVpcs: Set<string>;
  vpcOfLink: Map<string, string>;
  /** Endpoint domain → the link and VPC it belongs to. */
  endpointOf: Map<string, { linkId: string; vpcId: string }>;
}

const norm = (domain: string) => domain.toLowerCase().replace(/\.$/, '');

export async function dnsContext(links: ManagedLink[], fleet: ManagedLink[], deps: StepDeps, width: number): Promise<DnsContext> {
  const checked = links.filter((l) => l.endpoint && l.desired.clusters.length > 0);
  const vpcs = [...new Map(checked.map((l) => [l.vpcId, l.region])).entries()];
  const zones = await pool(vpcs, width, ([vpcId, region]) => deps.aliyun.privateZone.zonesBoundTo(vpcId, region));
  const bindings = new Map<string, Promise<string[]>>();
  const boundVpcs = (zoneId: string) => {
    let known = bindings.get(zoneId);
    if (!known) {
      known = deps.aliyun.privateZone.zoneInfo(zoneId).then((info) => (info?.BindVpcs.Vpc ?? []).map((v) => v.VpcId));
      bindings.set(zoneId, known);
    }
    return known;
  };
  const withEndpoint = fleet.filter((l) => l.endpoint);
  return {
    zonesOf: new Map(vpcs.map(([vpcId], i) => [vpcId, zones[i]!])),
    boundVpcs,
    linkVpcs: new Set(withEndpoint.map((l) => l.vpcId)),
    vpcOfLink: new Map(fleet.map((l) => [l.linkId, l.vpcId])),
    endpointOf: new Map(withEndpoint.map((l) => [norm(l.endpoint!.domain), { linkId: l.linkId, vpcId: l.vpcId }])),
  };
}

/**
 * A zone zpl made for another VPC's link that serves this VPC too (an older zpl bound it here): this
 * VPC's links did not ask for it, and this link's next run moves the VPC to a zone of its own
 * (zone-split.ts). Reported on the links of the VPCs that move, not of the one that keeps the zone;
 * a zone made by a link of this VPC costs no read, so a clean fleet reads no bindings at all.
 */
async function sharedZone(l: ManagedLink, zone: ListedZone, ctx: DnsContext): Promise<Finding | undefined> {
  if (!zplMade(zone)) return undefined;
  const maker = remarkLinkId(zone.Remark);
  const makerVpc = maker ? ctx.vpcOfLink.get(maker) : undefined;
  if (makerVpc === l.vpcId) return undefined;
  const others = (await ctx.boundVpcs(zone.ZoneId)).filter((v) => v !== l.vpcId && ctx.linkVpcs.has(v));
  if (others.length === 0 || keeperOf([l.vpcId, ...others], makerVpc) === l.vpcId) return undefined;
  // Kept short: a reported detail is cut at 200 characters (check.ts, boundedFindings).
  return {
    kind: 'dns.zone_shared',
    detail: `zone ${zone.ZoneId} of ${others.join(', ')} is bound here too, unasked; this link's next run moves ${l.vpcId} to a zone of its own`,
  };
}

export async function dnsFindings(
  l: ManagedLink,
  ep: NonNullable<ManagedLink['endpoint']>,
  ctx: DnsContext,
  deps: StepDeps,
): Promise<Finding[]> {
  const findings: Finding[] = [];
  const add = (kind: Finding['kind'], detail: string) => findings.push({ kind, detail });
  const bound = ctx.zonesOf.get(l.vpcId) ?? [];
  // Published layout: no Zilliz call. Elsewhere Zilliz's host; a cluster Zilliz has no host for
  // is reported only when Zilliz says it is gone: no name is guessed, so no record is missed.
  const hosts = await clusterHosts({ region: l.region, dnsLayout: l.desired.dnsLayout }, l.desired.clusters, deps.zilliz);
  for (const h of hosts)
    if (h.kind === 'unknown' && h.why === 'cluster gone')
      add('zilliz.cluster_missing', `cluster ${h.clusterId} the link serves no longer exists in Zilliz`);
  const wanted = hosts.filter(isKnown).map((h) => ({ cluster: h.clusterId, ...h.record }));
  // With a name unknown, any of the link's records may be that cluster's: none is called unlisted.
  const allNamed = hosts.every(isKnown);
  const keys = new Set(wanted.map((w) => wantedKey(w.zoneName, w.rr)));
  const names = new Set(wanted.map((w) => w.zoneName));
  for (const zoneName of names) {
    const zone = bound.find((z) => z.ZoneName === zoneName);
    if (!zone) {
      for (const w of wanted.filter((x) => x.zoneName === zoneName))
        add('dns.zone_unbound', `no zone ${zoneName} is bound to ${l.vpcId}, so ${w.fqdn} does not resolve privately`);
      continue;
    }
    if (zplMade(zone) && zone.ProxyPattern !== 'RECORD')
      add('dns.proxy_changed', `zone ${zoneName} (${zone.ZoneId}) has recursive proxy ${zone.ProxyPattern}, not RECORD`);
    const shared = await sharedZone(l, zone, ctx);
    if (shared) findings.push(shared);
    const records = await deps.aliyun.privateZone.records(zone.ZoneId);
    for (const w of wanted.filter((x) => x.zoneName === zoneName)) {
      const mine = records.filter((r) => r.Rr === w.rr);
      if (mine.length === 0) add('dns.record_missing', `${w.fqdn} has no record`);
      else if (mine.every((r) => r.Status !== 'ENABLE')) add('dns.record_disabled', `${w.fqdn} is disabled`);
      else if (!mine.some((r) => r.Type === 'CNAME' && norm(r.Value) === ep.domain))
        add('dns.record_elsewhere', `${w.fqdn} points at ${mine.map((r) => `${r.Type} ${r.Value}`).join(', ')}, not ${ep.domain}`);
    }
    for (const r of records) {
      const owner = ctx.endpointOf.get(norm(r.Value));
      // A zone that serves the endpoint's VPC too is a shared one (above), not a stray record.
      if (owner && owner.vpcId !== l.vpcId && !(await ctx.boundVpcs(zone.ZoneId)).includes(owner.vpcId))
        add(
          'dns.record_foreign',
          `${fqdnOf(zoneName, r.Rr)} points at the endpoint of ${owner.linkId} in ${owner.vpcId}, another VPC's addresses`,
        );
    }
    if (allNamed)
      for (const u of unlistedIn(zone, records, l.linkId, keys))
        add('dns.record_unlisted', `${u.fqdn} is zpl's but the link no longer lists it`);
  }
  // Zones zpl made under names the link no longer wants (a removed cluster's zone, cluster-zone layout).
  if (allNamed)
    for (const zone of bound.filter((z) => zplMade(z) && !names.has(z.ZoneName)))
      for (const u of unlistedIn(zone, await deps.aliyun.privateZone.records(zone.ZoneId), l.linkId, keys))
        add('dns.record_unlisted', `${u.fqdn} is zpl's but the link no longer lists it`);
  return findings;
}
