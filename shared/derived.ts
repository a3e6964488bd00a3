import { createHash } from 'node:crypto';
import { PUBLISHED_PRIVATE_LINK_ZONE, zillizRegionId, type Region } from './regions.ts';
import { linkRemark } from './pvtz-remark.ts';
import type { LinkSpec } from './spec.ts';
import { TAG_LIMITS } from './tag-rules.ts';

/**
 * Values derived from a link spec: names, hostnames, ownership tags and idempotency tokens.
 * Everything here is a pure function of the spec, so every step and every re-run agrees.
 */

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export const MANAGED_BY = 'zilliz-privatelink';
export const TAG = {
  link: 'zpl:link',
  managedBy: 'zpl:managed-by',
  /** Desired state written on the resources, read back by drift checks. */
  /** Spread over `zpl:cidrs`, `zpl:cidrs-2`, … (10 CIDRs reach 159 characters; a value holds 128). */
  cidrs: 'zpl:cidrs',
  port: 'zpl:port',
  zones: 'zpl:zones',
  project: 'zpl:project',
  /** The clusters the link serves; long lists continue in `zpl:clusters-2`, `zpl:clusters-3`. */
  clusters: 'zpl:clusters',
  dns: 'zpl:dns',
  icmp: 'zpl:icmp',
  /** Zones zpl bound the VPC to without having created them (teardown unbinds exactly these). */
  bound: 'zpl:bound',
  /** A security group the spec named (ours are tagged themselves). */
  givenSecurityGroup: 'zpl:sg',
  /** When `zpl adopt` took the resource over (someone else made it); kept by every run, removed with the resource. */
  adopted: 'zpl:adopted',
} as const;

const TAG_VALUE_MAX = TAG_LIMITS.valueMax;

/** Spreads a comma-separated list over `key`, `key-2`, … so each value stays within 128 characters. */
export function spreadTag(key: string, items: string[]): Tag[] {
  const out: Tag[] = [];
  let current: string[] = [];
  const flush = () => {
    if (current.length) out.push({ Key: out.length === 0 ? key : `${key}-${out.length + 1}`, Value: current.join(',') });
    current = [];
  };
  for (const item of items) {
    if ([...current, item].join(',').length > TAG_VALUE_MAX) flush();
    current.push(item);
  }
  flush();
  return out;
}

/** Reads back a list written by `spreadTag`. */
export function gatherTag(tags: Tag[], key: string): string[] {
  return tags
    .filter((t) => t.Key === key || t.Key.startsWith(`${key}-`))
    .sort((a, b) => a.Key.localeCompare(b.Key, undefined, { numeric: true }))
    .flatMap((t) => t.Value.split(',').filter(Boolean));
}

/** A link is (Zilliz project, region, VPC); its ID is stable across runs and machines. */
export function linkId(spec: Pick<LinkSpec, 'projectId' | 'region' | 'vpcId'>): string {
  return `zpl-${sha256(`${spec.projectId}|${spec.region}|${spec.vpcId}`).slice(0, 12)}`;
}

export const zillizRegion = (spec: Pick<LinkSpec, 'region'>) => zillizRegionId(spec.region);

/**
 * Zilliz's private-link hostname for a cluster before Zilliz has assigned one: the guide's
 * layout `<clusterId>-privatelink.<published zone>` where it publishes the zone (the four China
 * regions), otherwise the same pattern under `ali-<region>`, a guess that only stands until
 * describe cluster's `privateLinkAddress` names the real host (see hostFromAddress callers).
 */
export function privateLinkHost(clusterId: string, region: Region): string {
  return `${clusterId}-privatelink.${PUBLISHED_PRIVATE_LINK_ZONE[region] ?? `${zillizRegionId(region)}.vectordb.zilliz.com.cn`}`;
}

export interface DnsRecordName {
  zoneName: string;
  /** The record's name inside the zone (`Rr`). */
  rr: string;
  fqdn: string;
}

/**
 * Where a cluster's CNAME lives. `region-zone` (the current guide): one zone per region,
 * `<clusterId>-privatelink` inside it. `cluster-zone`: a zone per hostname with an `@` record.
 */
export function dnsRecordName(spec: Pick<LinkSpec, 'region' | 'dnsLayout'>, clusterId: string): DnsRecordName {
  return dnsRecordForHost(privateLinkHost(clusterId, spec.region), spec.dnsLayout);
}

/** The record for a given hostname: `region-zone` splits off the first label as `Rr`; `cluster-zone` names the zone after the host. */
export function dnsRecordForHost(host: string, layout: LinkSpec['dnsLayout']): DnsRecordName {
  const fqdn = host.toLowerCase().replace(/\.$/, '');
  if (layout === 'cluster-zone') return { zoneName: fqdn, rr: '@', fqdn };
  const dot = fqdn.indexOf('.');
  return { zoneName: fqdn.slice(dot + 1), rr: fqdn.slice(0, dot), fqdn };
}

export const securityGroupName = (spec: LinkSpec) => `${linkId(spec)}-zilliz`;
export const endpointName = (spec: LinkSpec) => spec.endpointName ?? `${linkId(spec)}-zilliz`;
export const endpointDescription = (spec: LinkSpec) => `Zilliz Cloud private link for project ${spec.projectId}, managed by ${MANAGED_BY}`;

/** Marks a DNS zone or record as ours; PrivateZone carries no tags there, only a Remark (see pvtz-remark.ts). */
export const recordRemark = (spec: Pick<LinkSpec, 'projectId' | 'region' | 'vpcId'>) => linkRemark(linkId(spec));

export interface Tag {
  Key: string;
  Value: string;
}

/** What the endpoint records about the link, so drift checks and teardown can read the spec back. */
export function endpointStateTags(spec: LinkSpec): Tag[] {
  return [
    { Key: TAG.project, Value: spec.projectId },
    { Key: TAG.dns, Value: spec.dnsLayout },
    ...spreadTag(TAG.clusters, spec.clusters),
    ...(spec.securityGroupId ? [{ Key: TAG.givenSecurityGroup, Value: spec.securityGroupId }] : []),
  ];
}

/** Tags that mark a resource as ours and record the desired state on it. */
export function ownershipTags(spec: LinkSpec, desired: { cidrs?: string[]; port?: number } = {}): Tag[] {
  const tags: Tag[] = [
    { Key: TAG.link, Value: linkId(spec) },
    { Key: TAG.managedBy, Value: MANAGED_BY },
    { Key: TAG.zones, Value: spec.zones.map((z) => z.zoneId).join(',') },
  ];
  if (desired.cidrs) tags.push(...spreadTag(TAG.cidrs, desired.cidrs));
  if (desired.port) tags.push({ Key: TAG.port, Value: String(desired.port) });
  for (const [Key, Value] of Object.entries(spec.tags)) tags.push({ Key, Value });
  return tags;
}

/** What the security group records: ownership, the allowed sources and port, and whether ICMP is open. */
export function securityGroupTags(spec: LinkSpec, desired: { cidrs: string[]; port?: number }): Tag[] {
  return [...ownershipTags(spec, desired), { Key: TAG.icmp, Value: String(spec.icmp) }];
}

/**
 * A deterministic `ClientToken` (≤64 ASCII) for one create call of one link. The digest of the
 * request parameters makes a retry of the same call idempotent while a changed request gets a
 * fresh token instead of `IdempotentParameterMismatch`.
 */
export function clientToken(spec: Pick<LinkSpec, 'projectId' | 'region' | 'vpcId'>, step: string, params: unknown = {}): string {
  const digest = sha256(stableJson(params)).slice(0, 16);
  // A long step name (one per cluster, say) is folded into a digest so the token stays ≤64.
  const name = step.length <= 28 ? step : `${step.slice(0, 19)}~${sha256(step).slice(0, 8)}`;
  const token = `${linkId(spec)}-${name}-${digest}`;
  if (token.length > 64 || !/^[\x21-\x7e]+$/.test(token)) throw new Error(`client token for step ${step} is not ≤64 printable ASCII`);
  return token;
}

/** JSON with sorted keys, so equal values always hash alike. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
