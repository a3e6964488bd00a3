import type { AliyunApis } from '../aliyun/index.ts';
import { remarkIsLink, remarkLinkId } from '../pvtz-remark.ts';
import type { ListedRecord } from './unlisted-records.ts';
import { zplMade, type LinkWhere, type ListedZone } from './vpc-zone.ts';

const norm = (domain: string) => domain.toLowerCase().replace(/\.$/, '');

/**
 * Records other zpl links wrote into a zone that serves only this link's VPC, pointing at no
 * endpoint in this VPC (an older zpl shared zones between VPCs): from here they resolve to
 * addresses in another VPC, and where they belong they are not served by this zone. A zone that
 * also serves other VPCs keeps them (their links may need them there; zone-split.ts moves those
 * VPCs out); a user's record is never one. Reads nothing more unless another link's record is there.
 */
export async function foreignIn(aliyun: AliyunApis, link: LinkWhere, zone: ListedZone, records: ListedRecord[]): Promise<ListedRecord[]> {
  const others = records.filter((r) => zplMade(r) && !remarkIsLink(r.Remark, link.linkId));
  if (others.length === 0) return [];
  const info = await aliyun.privateZone.zoneInfo(zone.ZoneId);
  if (!info || info.BindVpcs.Vpc.some((v) => v.VpcId !== link.vpcId)) return [];
  const here = new Set((await aliyun.privateLink.listEndpoints({ vpcId: link.vpcId })).map((e) => norm(e.EndpointDomain)));
  return others.filter((r) => !here.has(norm(r.Value)));
}

/** What a foreign record is, in words. */
export const foreignNote = (fqdn: string, record: ListedRecord) =>
  `${fqdn} points at ${record.Value}, no endpoint of this VPC (made by zpl for link ${remarkLinkId(record.Remark)}): from here it resolved to another VPC's addresses`;
