import { isAliyunError } from '../aliyun/errors.ts';
import { dnsRecordName, linkId, privateLinkHost, zillizRegion } from '../derived.ts';
import { ZILLIZ_ZONES } from '../regions.ts';
import { isZillizError } from '../zilliz/errors.ts';
import type { LinkSpec } from '../spec.ts';
import { StepFailure, type ClusterTarget, type Step, type StepDeps } from './types.ts';

/** Dedicated clusters listen here unless their private-link address says otherwise (cloud-facts §1). */
export const DEFAULT_CLUSTER_PORT = 19530;

export interface WorldView {
  problems: string[];
  serviceName?: string;
  vpcCidrs: string[];
  zones: { zoneId: string; vSwitchId: string }[];
  port?: number;
  clusters: ClusterTarget[];
}

/**
 * Reads everything the link depends on and lists every reason it cannot work, before any
 * change: the VPC and its vSwitches per zone, the zones Zilliz serves, each cluster (exists,
 * same project and region, Dedicated), the given security group. Shared by the flow's first
 * step and `zpl plan`.
 */
export async function readWorld(spec: LinkSpec, deps: StepDeps): Promise<WorldView> {
  const problems: string[] = [];
  const region = zillizRegion(spec);
  const view: WorldView = { problems, vpcCidrs: [], zones: [], clusters: [] };

  const [services, cidrs, vSwitches] = await Promise.all([
    deps.zilliz.endpointServices(region),
    deps.aliyun.vpc.cidrBlocks(spec.vpcId).catch((e: unknown) => {
      if (isAliyunError(e, /VpcNotFound|InvalidVpcId\.NotFound/)) return undefined;
      throw e;
    }),
    deps.aliyun.vpc.vSwitches(spec.vpcId).catch((e: unknown) => {
      if (isAliyunError(e, /VpcNotFound|InvalidVpcId\.NotFound/)) return [];
      throw e;
    }),
  ]);
  view.serviceName = services.find((s) => s.regionId === region)?.endpointService;
  if (!view.serviceName) problems.push(`Zilliz offers no private-link endpoint service in ${region}`);
  if (!cidrs) problems.push(`VPC ${spec.vpcId} does not exist in ${spec.region} for this account`);
  view.vpcCidrs = cidrs ?? [];

  const supported: readonly string[] = ZILLIZ_ZONES[spec.region];
  for (const zone of spec.zones) {
    if (!supported.includes(zone.zoneId)) {
      problems.push(`zone ${zone.zoneId}: Zilliz's endpoint service in ${spec.region} does not serve it (it serves ${supported.join(', ')})`);
      continue;
    }
    const inZone = vSwitches.filter((v) => v.ZoneId === zone.zoneId);
    if (zone.vSwitchId) {
      const given = vSwitches.find((v) => v.VSwitchId === zone.vSwitchId);
      if (!given) problems.push(`zone ${zone.zoneId}: vSwitch ${zone.vSwitchId} is not in VPC ${spec.vpcId}`);
      else if (given.ZoneId !== zone.zoneId) problems.push(`zone ${zone.zoneId}: vSwitch ${zone.vSwitchId} is in ${given.ZoneId}, not ${zone.zoneId}`);
      else view.zones.push({ zoneId: zone.zoneId, vSwitchId: given.VSwitchId });
    } else if (inZone.length === 0) {
      if (cidrs) problems.push(`zone ${zone.zoneId}: VPC ${spec.vpcId} has no vSwitch there; create one or name it in zones[].vSwitchId`);
    } else {
      // The vSwitch with the most free addresses: the endpoint takes one ENI IP per zone.
      const best = [...inZone].sort((a, b) => (b.AvailableIpAddressCount ?? 0) - (a.AvailableIpAddressCount ?? 0))[0]!;
      view.zones.push({ zoneId: zone.zoneId, vSwitchId: best.VSwitchId });
    }
  }

  const ports = new Set<number>();
  await Promise.all(
    spec.clusters.map(async (clusterId) => {
      try {
        const c = await deps.zilliz.describeCluster(clusterId);
        if (c.projectId !== spec.projectId) problems.push(`cluster ${clusterId} belongs to project ${c.projectId}, not ${spec.projectId}`);
        if (c.regionId !== region) problems.push(`cluster ${clusterId} is in ${c.regionId}, not ${region}`);
        if (/serverless|free/i.test(c.plan ?? '') || !c.privateLinkAddress) {
          problems.push(`cluster ${clusterId} is a ${c.plan ?? 'non-Dedicated'} cluster; private link needs a Dedicated cluster`);
        }
        const port = Number(/:(\d+)\/?$/.exec(c.privateLinkAddress ?? '')?.[1] ?? DEFAULT_CLUSTER_PORT);
        ports.add(port);
        const dns = dnsRecordName(spec, clusterId);
        view.clusters.push({ clusterId, host: privateLinkHost(clusterId, spec.region), zoneName: dns.zoneName, rr: dns.rr });
      } catch (e) {
        if (isZillizError(e) && !e.retryable) problems.push(`cluster ${clusterId}: ${e.message}`);
        else throw e;
      }
    }),
  );
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
  if (view.problems.length > 0) throw new StepFailure('Spec.CannotWork', view.problems.join('; '));
  return {
    state: {
      ...state,
      linkId: linkId(spec),
      serviceName: view.serviceName,
      vpcCidrs: view.vpcCidrs,
      zones: view.zones,
      port: view.port,
      clusters: view.clusters,
    },
  };
};
