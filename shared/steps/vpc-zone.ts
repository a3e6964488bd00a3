import type { PrivateZoneApi } from '../aliyun/pvtz.ts';
import { linkRemark, remarkIsLink, remarkLinkId } from '../pvtz-remark.ts';
import type { Tokens } from './types.ts';

/**
 * Which zone serves a name in a link's VPC. A link's records live in the zone of that name bound
 * to its VPC, and in no zone bound to any other VPC: a record there would send that VPC to this
 * link's endpoint, whose addresses are in this VPC. PrivateZone lets several zones share a name
 * (one per VPC), but binds a VPC to only one of them ("ZoneVpc.Zone.Repeated: Vpc is bind to same
 * zone name.", pvtz metadata BindZoneVpc errorCodes), so DescribeZones `QueryVpcId` finds at most
 * one zone of a name for a VPC. Links in one VPC (other Zilliz projects) share that zone, each
 * record pointing at its own link's endpoint.
 */

/** A zone as DescribeZones lists it. */
export type ListedZone = Awaited<ReturnType<PrivateZoneApi['zonesBoundTo']>>[number];

export interface LinkWhere {
  linkId: string;
  vpcId: string;
  region: string;
}

/** Whether zpl made the zone (any link's mark: a zone made for one link serves every zpl link in its VPC). */
export const zplMade = (zone: { Remark?: string }) => remarkLinkId(zone.Remark) !== undefined;

/** Oldest first (CreateTimestamp), then by ID, so concurrent runs pick the same zone to keep. */
export const oldestFirst = <Z extends ListedZone>(zones: Z[]): Z[] =>
  [...zones].sort((a, b) => (a.CreateTimestamp ?? 0) - (b.CreateTimestamp ?? 0) || a.ZoneId.localeCompare(b.ZoneId));

export interface VpcZone {
  /** The zone of that name bound to the VPC, whoever made it (a user's is reused, never marked or deleted). */
  serving?: ListedZone;
  /**
   * This link's own zones of that name bound to no VPC (or to this one besides `serving`), oldest
   * first: one an interrupted run made before binding it, or a duplicate a late AddZone reply left.
   * Only this link's: another link's unbound zone may be one it is about to bind to its own VPC.
   */
  spares: ListedZone[];
  /** This link's own zones of that name bound to other VPCs only (someone bound them there, or dropped this VPC's binding). */
  elsewhere: { zone: ListedZone; vpcIds: string[] }[];
}

/** The zones bound to the link's VPC (DescribeZones QueryVpcId, QueryRegionId). */
export const zonesServing = (pvtz: PrivateZoneApi, link: LinkWhere) => pvtz.zonesBoundTo(link.vpcId, link.region);

/** Where `zoneName` is served in the link's VPC, and this link's other zones of that name. */
export async function vpcZone(pvtz: PrivateZoneApi, link: LinkWhere, zoneName: string, bound?: ListedZone[]): Promise<VpcZone> {
  const serving = oldestFirst((bound ?? (await zonesServing(pvtz, link))).filter((z) => z.ZoneName === zoneName))[0];
  const own = (await pvtz.zonesNamed(zoneName)).filter((z) => z.ZoneId !== serving?.ZoneId && remarkIsLink(z.Remark, link.linkId));
  const spares: ListedZone[] = [];
  const elsewhere: VpcZone['elsewhere'] = [];
  // DescribeZones does not list bindings: DescribeZoneInfo tells a spare from a zone bound elsewhere.
  for (const zone of oldestFirst(own)) {
    const info = await pvtz.zoneInfo(zone.ZoneId);
    if (!info) continue;
    const vpcIds = info.BindVpcs.Vpc.map((v) => v.VpcId);
    // A second zone of the name bound to this VPC too (were BindZoneVpc's same-name check ever raced past) is a spare as well.
    if (vpcIds.every((v) => v === link.vpcId)) spares.push(zone);
    else elsewhere.push({ zone, vpcIds });
  }
  return { ...(serving ? { serving } : {}), spares, elsewhere };
}

/** A new zone for the link's VPC: the recursive proxy on (RECORD: names not in the zone still resolve publicly), marked as the link's. */
export async function createZone(pvtz: PrivateZoneApi, link: LinkWhere, zoneName: string, token: Tokens): Promise<ListedZone> {
  const created = await pvtz.addZone(zoneName, 'RECORD', token('zone', { zoneName }));
  const remark = linkRemark(link.linkId);
  await pvtz.setRemark(created.ZoneId, remark, token('zone-remark', { zoneId: created.ZoneId }));
  return { ZoneId: created.ZoneId, ZoneName: zoneName, ProxyPattern: 'RECORD', RecordCount: 0, Remark: remark };
}
