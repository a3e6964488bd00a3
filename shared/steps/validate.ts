import { isAliyunError } from '../aliyun/errors.ts';
import { pool, READS_AT_ONCE, together } from '../pool.ts';
import { dnsRecordForHost, linkId, privateLinkHost, zillizRegion } from '../derived.ts';
import { ZILLIZ_ZONES } from '../regions.ts';
import { parsePrivateLinkAddress } from '../zilliz/address.ts';
import type { ZillizCluster } from '../zilliz/client.ts';
import { isZillizError } from '../zilliz/errors.ts';
import type { LinkSpec } from '../spec.ts';
import { accountRefusal } from './caller-account.ts';
import { activationProblems } from './prerequisites.ts';
import { unservedZones, visibleService, zillizEndpointService } from './check-service.ts';
import { zoneVSwitch } from './zone-vswitch.ts';
import { clusterFit } from './cluster-fit.ts';
import { StepFailure, type ClusterTarget, type Step, type StepDeps } from './types.ts';

/**
 * Dedicated clusters listen here while their private-link address is still `""` (zdoc_cn
 * list-clusters-v2: an ali-cn-hangzhou Standard cluster with `connectAddress …:19530` and
 * `"privateLinkAddress": ""`); once assigned, the address's port wins.
 */
export const DEFAULT_CLUSTER_PORT = 19530;

/**
 * Where a cluster's private link will answer: the hostname and port Zilliz assigned
 * (`privateLinkAddress`, authoritative once set), else the guide's layout and 19530.
 */
export function clusterTarget(
  spec: LinkSpec,
  cluster: Pick<ZillizCluster, 'clusterId' | 'privateLinkAddress'>,
): ClusterTarget & { port: number } {
  const assigned = parsePrivateLinkAddress(cluster.privateLinkAddress);
  const host = assigned?.host ?? privateLinkHost(cluster.clusterId, spec.region);
  const dns = dnsRecordForHost(host, spec.dnsLayout);
  return { clusterId: cluster.clusterId, host: dns.fqdn, zoneName: dns.zoneName, rr: dns.rr, port: assigned?.port ?? DEFAULT_CLUSTER_PORT };
}

export interface WorldView {
  problems: string[];
  /** Works, but worth hearing (a zone outside Zilliz's published list, an unknown plan name). */
  warnings: string[];
  /** Alibaba's ServiceName of Zilliz's endpoint service (Zilliz's own name for it until the service is visible). */
  serviceName?: string;
  vpcCidrs: string[];
  zones: { zoneId: string; vSwitchId: string }[];
  port?: number;
  clusters: ClusterTarget[];
  /** The spec names another account than the credentials': nothing else was read (Validate fails with it). */
  refusal?: StepFailure;
}

/**
 * Reads everything the link depends on and lists every reason it cannot work, before any
 * change: PrivateLink and PrivateZone activated for the account, the VPC and its vSwitches per
 * zone, the zones Zilliz serves, each cluster (exists, same project and region, Dedicated), the
 * given security group. First of all, that the credentials are the spec's account's
 * (caller-account.ts). Shared by the flow's first step and `zpl plan`.
 */
export async function readWorld(spec: LinkSpec, deps: StepDeps): Promise<WorldView> {
  const problems: string[] = [];
  const warnings: string[] = [];
  const region = zillizRegion(spec);
  const view: WorldView = { problems, warnings, vpcCidrs: [], zones: [], clusters: [] };
  const refusal = await accountRefusal(spec, deps);
  if (refusal) return { ...view, problems: [refusal.message], refusal };

  const [activation, services, cidrs, vSwitches] = await together([
    () => activationProblems(deps, spec.region),
    () => zillizEndpointService(deps, region),
    () =>
      deps.aliyun.vpc.cidrBlocks(spec.vpcId).catch((e: unknown) => {
        if (isAliyunError(e, /VpcNotFound|InvalidVpcId\.NotFound/)) return undefined;
        throw e;
      }),
    () =>
      deps.aliyun.vpc.vSwitches(spec.vpcId).catch((e: unknown) => {
        if (isAliyunError(e, /VpcNotFound|InvalidVpcId\.NotFound/)) return [];
        throw e;
      }),
  ]);
  problems.push(...activation.problems);
  warnings.push(...activation.warnings);
  view.serviceName = services;
  if (!view.serviceName) problems.push(`Zilliz offers no private-link endpoint service in ${region}`);
  if (!cidrs) problems.push(`VPC ${spec.vpcId} does not exist in ${spec.region} for this account`);
  view.vpcCidrs = cidrs ?? [];

  // The endpoint service's Zones are the authority, once it is visible to the account (after
  // allowlisting; CheckService checks again then). Until then Zilliz's published list only warns.
  const service = view.serviceName ? await visibleService(deps, view.serviceName) : undefined;
  if (service) view.serviceName = service.ServiceName;
  const unserved = new Set(
    service
      ? unservedZones(
          spec.zones.map((z) => z.zoneId),
          service.Zones,
        )
      : [],
  );
  const documented: readonly string[] = ZILLIZ_ZONES[spec.region];
  for (const zone of spec.zones) {
    if (unserved.has(zone.zoneId)) {
      problems.push(
        `zone ${zone.zoneId}: Zilliz's endpoint service in ${spec.region} does not serve it (it serves ${service!.Zones.join(', ')})`,
      );
      continue;
    }
    if (!service && !documented.includes(zone.zoneId)) {
      warnings.push(
        `zone ${zone.zoneId} is not among Zilliz's documented zones in ${spec.region} (${documented.join(', ')}); its endpoint service decides once visible`,
      );
    }
    const placed = zoneVSwitch(zone, vSwitches, spec.vpcId);
    if ('vSwitch' in placed) view.zones.push({ zoneId: zone.zoneId, vSwitchId: placed.vSwitch.VSwitchId });
    // No vSwitch at all in a VPC that does not exist is said once, by the VPC's problem.
    else if (cidrs || !placed.none) problems.push(placed.problem);
  }

  const ports = new Set<number>();
  // At most READS_AT_ONCE at a time; one that fails for good (not a problem of its cluster) stops the others.
  await pool(spec.clusters, READS_AT_ONCE, async (clusterId) => {
    try {
      const c = await deps.zilliz.describeCluster(clusterId);
      const fit = clusterFit(spec, c);
      problems.push(...fit.problems);
      if (fit.warning) warnings.push(fit.warning);
      const { port, ...target } = clusterTarget(spec, c);
      ports.add(port);
      view.clusters.push(target);
    } catch (e) {
      if (isZillizError(e) && !e.retryable) problems.push(`cluster ${clusterId}: ${e.message}`);
      else throw e;
    }
  });
  view.clusters.sort((a, b) => spec.clusters.indexOf(a.clusterId) - spec.clusters.indexOf(b.clusterId));
  if (spec.port) view.port = spec.port;
  else if (ports.size > 1) problems.push(`the clusters listen on different ports (${[...ports].join(', ')}); set port in the spec`);
  else view.port = [...ports][0] ?? DEFAULT_CLUSTER_PORT;

  if (spec.securityGroupId) {
    const sg = await deps.aliyun.securityGroups.describe(spec.securityGroupId);
    if (!sg) problems.push(`security group ${spec.securityGroupId} does not exist in ${spec.region}`);
    else if (sg.VpcId !== spec.vpcId) problems.push(`security group ${spec.securityGroupId} is in ${sg.VpcId}, not ${spec.vpcId}`);
  }
  return view;
}

export const validate: Step = async ({ spec, state }, deps) => {
  const view = await readWorld(spec, deps);
  if (view.refusal) throw view.refusal;
  for (const warning of view.warnings) deps.log.warn('validate.warning', { warning });
  if (view.problems.length > 0) throw new StepFailure('Spec.CannotWork', view.problems.join('; '));
  return {
    state: {
      ...state,
      linkId: linkId(spec),
      serviceName: view.serviceName,
      vpcCidrs: view.vpcCidrs,
      zones: view.zones,
      port: view.port,
    },
  };
};
