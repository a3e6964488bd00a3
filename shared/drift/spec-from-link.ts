import { parseLinkSpec, type AssumeRole, type LinkSpec } from '../spec.ts';
import type { ManagedLink } from './types.ts';

/**
 * The link spec read back from what zpl recorded on the resources, so remediation can re-run
 * the (idempotent) provision flow without the original request. A link found through a role is
 * in the role's account and is provisioned as that role (`assumeRole`). Undefined when too little
 * was recorded to rebuild it safely.
 */
export function specFromLink(l: ManagedLink, accountId: string, role?: AssumeRole): LinkSpec | undefined {
  const d = l.desired;
  if (!d.projectId || d.clusters.length === 0 || d.zones.length === 0) return undefined;
  const parsed = parseLinkSpec({
    projectId: d.projectId,
    region: l.region,
    accountId,
    vpcId: l.vpcId,
    clusters: d.clusters,
    zones: d.zones.map((zoneId) => ({ zoneId })),
    ...(d.port ? { port: d.port } : {}),
    ...(d.cidrs?.length ? { allowedCidrs: d.cidrs } : {}),
    ...(d.icmp !== undefined ? { icmp: d.icmp } : {}),
    dnsLayout: d.dnsLayout,
    ...(d.givenSecurityGroup ? { securityGroupId: d.givenSecurityGroup } : {}),
    ...(l.endpoint?.name && l.endpoint.name !== `${l.linkId}-zilliz` ? { endpointName: l.endpoint.name } : {}),
    tags: d.userTags,
    ...(role ? { assumeRole: role } : {}),
  });
  return parsed.ok ? parsed.spec : undefined;
}
