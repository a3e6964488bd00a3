import type { PrivateZoneApi } from '../aliyun/pvtz.ts';
import { remarkIsLink } from '../pvtz-remark.ts';
import { zplMade, type ListedZone } from './vpc-zone.ts';

/**
 * Records a link owns (its Remark) that its spec no longer lists: a cluster removed from the spec
 * leaves its CNAME behind until apply removes it. Only zpl's own records are ever candidates; a
 * user's record of any name is never one.
 */

export type ListedRecord = Awaited<ReturnType<PrivateZoneApi['records']>>[number];

export interface UnlistedRecord {
  zone: ListedZone;
  record: ListedRecord;
  fqdn: string;
}

/** The key of a record name the spec wants: zone name and `Rr`, case-folded as DNS compares them. */
export const wantedKey = (zoneName: string, rr: string) => `${zoneName}|${rr}`.toLowerCase();

export const fqdnOf = (zoneName: string, rr: string) => (rr === '@' ? zoneName : `${rr}.${zoneName}`);

/** What removing the record risks, in words (plan and apply say it). */
export const removalRisk = (zone: Pick<ListedZone, 'ProxyPattern'>, fqdn: string) =>
  zone.ProxyPattern === 'RECORD'
    ? `${fqdn} then resolves in the VPC as it does publicly (the recursive proxy), no longer through this link's endpoint`
    : `${fqdn} then stops resolving in the VPC (the zone's recursive proxy is off)`;

/** This link's records in one zone that the spec does not want. */
export function unlistedIn(zone: ListedZone, records: ListedRecord[], linkId: string, wanted: Set<string>): UnlistedRecord[] {
  return records
    .filter((r) => remarkIsLink(r.Remark, linkId) && !wanted.has(wantedKey(zone.ZoneName, r.Rr)))
    .map((record) => ({ zone, record, fqdn: fqdnOf(zone.ZoneName, record.Rr) }));
}

/** The zones serving the VPC that can hold this link's records: the zones zpl made, and any zone of a name the spec wants (a user's zone is read only where zpl writes). */
export function zonesToScan(bound: ListedZone[], wanted: Set<string>): ListedZone[] {
  const names = new Set([...wanted].map((k) => k.slice(0, k.indexOf('|'))));
  return bound.filter((z) => zplMade(z) || names.has(z.ZoneName.toLowerCase()));
}
