import { pool, READS_AT_ONCE } from '../pool.ts';
import { dnsRecordForHost, dnsRecordName, type DnsRecordName } from '../derived.ts';
import { hasPublishedHostLayout, isRegion } from '../regions.ts';
import type { LinkSpec } from '../spec.ts';
import { parsePrivateLinkAddress } from '../zilliz/address.ts';
import type { ZillizClient } from '../zilliz/client.ts';
import { isZillizError, ZILLIZ_CODES } from '../zilliz/errors.ts';

/**
 * Where a cluster's private-link record lives, as far as it can be known without provisioning:
 * - `layout`: the region has a published zone (the four China regions: regions.ts
 *   PUBLISHED_PRIVATE_LINK_ZONE), so the name follows from the cluster ID with no Zilliz call;
 * - `assigned`: elsewhere, the hostname Zilliz assigned (describe cluster's `privateLinkAddress`);
 * - `unknown`: elsewhere, and Zilliz no longer knows the cluster (96018 "cluster not found",
 *   cloud-facts §1; HTTP 200 with the code in the body) or has not assigned an address (`""`).
 *   Callers then look for zpl's own records by remark instead of guessing a name.
 */
export type ClusterHost =
  | { clusterId: string; kind: 'layout' | 'assigned'; record: DnsRecordName }
  | { clusterId: string; kind: 'unknown'; why: 'cluster gone' | 'not assigned' };

export type KnownHost = Extract<ClusterHost, { record: DnsRecordName }>;
export const isKnown = (h: ClusterHost): h is KnownHost => h.kind !== 'unknown';

type Where = Pick<LinkSpec, 'dnsLayout'> & { region: string };

/** Each cluster's record, in the clusters' order; Zilliz is asked only where no layout is published. */
export async function clusterHosts(
  where: Where,
  clusters: string[],
  zilliz: Pick<ZillizClient, 'describeCluster'>,
): Promise<ClusterHost[]> {
  const { region } = where;
  if (isRegion(region) && hasPublishedHostLayout(region)) {
    return clusters.map((clusterId) => ({
      clusterId,
      kind: 'layout',
      record: dnsRecordName({ region, dnsLayout: where.dnsLayout }, clusterId),
    }));
  }
  return pool(clusters, READS_AT_ONCE, (clusterId) => assignedHost(clusterId, where.dnsLayout, zilliz));
}

async function assignedHost(
  clusterId: string,
  layout: LinkSpec['dnsLayout'],
  zilliz: Pick<ZillizClient, 'describeCluster'>,
): Promise<ClusterHost> {
  const cluster = await zilliz.describeCluster(clusterId).catch((e: unknown) => {
    if (isZillizError(e, ZILLIZ_CODES.clusterNotFound)) return undefined;
    throw e;
  });
  if (!cluster) return { clusterId, kind: 'unknown', why: 'cluster gone' };
  const assigned = parsePrivateLinkAddress(cluster.privateLinkAddress);
  if (!assigned) return { clusterId, kind: 'unknown', why: 'not assigned' };
  return { clusterId, kind: 'assigned', record: dnsRecordForHost(assigned.host, layout) };
}
