import { createHash } from 'node:crypto';
import { zillizRegionId, type Region } from './regions.ts';
import type { LinkSpec } from './spec.ts';

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
  cidrs: 'zpl:cidrs',
  port: 'zpl:port',
  zones: 'zpl:zones',
} as const;

/** A link is (Zilliz project, region, VPC); its ID is stable across runs and machines. */
export function linkId(spec: Pick<LinkSpec, 'projectId' | 'region' | 'vpcId'>): string {
  return `zpl-${sha256(`${spec.projectId}|${spec.region}|${spec.vpcId}`).slice(0, 12)}`;
}

export const zillizRegion = (spec: Pick<LinkSpec, 'region'>) => zillizRegionId(spec.region);

/** Zilliz's private-link hostname for a cluster (cloud-facts §1; current guide). */
export function privateLinkHost(clusterId: string, region: Region): string {
  return `${clusterId}-privatelink.ali-${region}.vectordb.zilliz.com.cn`;
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
  const fqdn = privateLinkHost(clusterId, spec.region);
  if (spec.dnsLayout === 'cluster-zone') return { zoneName: fqdn, rr: '@', fqdn };
  return { zoneName: `ali-${spec.region}.vectordb.zilliz.com.cn`, rr: `${clusterId}-privatelink`, fqdn };
}

export const securityGroupName = (spec: LinkSpec) => `${linkId(spec)}-zilliz`;
export const endpointName = (spec: LinkSpec) => spec.endpointName ?? `${linkId(spec)}-zilliz`;
export const endpointDescription = (spec: LinkSpec) =>
  `Zilliz Cloud private link for project ${spec.projectId}, managed by ${MANAGED_BY}`;

/** Marks a DNS record as ours; PrivateZone records carry no tags, only a Remark. */
export const recordRemark = (spec: LinkSpec) => `${TAG.link}=${linkId(spec)}`;

export interface Tag {
  Key: string;
  Value: string;
}

/** Tags that mark a resource as ours and record the desired state on it. */
export function ownershipTags(spec: LinkSpec, desired: { cidrs?: string[]; port?: number } = {}): Tag[] {
  const tags: Tag[] = [
    { Key: TAG.link, Value: linkId(spec) },
    { Key: TAG.managedBy, Value: MANAGED_BY },
    { Key: TAG.zones, Value: spec.zones.map((z) => z.zoneId).join(',') },
  ];
  if (desired.cidrs) tags.push({ Key: TAG.cidrs, Value: desired.cidrs.join(',') });
  if (desired.port) tags.push({ Key: TAG.port, Value: String(desired.port) });
  for (const [Key, Value] of Object.entries(spec.tags)) tags.push({ Key, Value });
  return tags;
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
