import { zillizRegion } from '../derived.ts';
import type { LinkSpec } from '../spec.ts';
import type { ZillizCluster } from '../zilliz/client.ts';
import { privateLinkEligibility } from '../zilliz/plans.ts';

/**
 * Whether a cluster can be on the link: the spec's project and region, and a Dedicated plan
 * (plans.ts). Shared by Validate (readWorld) and `zpl doctor`.
 */
export function clusterFit(spec: LinkSpec, c: Pick<ZillizCluster, 'clusterId' | 'projectId' | 'regionId' | 'plan'>) {
  const problems: string[] = [];
  const region = zillizRegion(spec);
  if (c.projectId !== spec.projectId) problems.push(`cluster ${c.clusterId} belongs to project ${c.projectId}, not ${spec.projectId}`);
  if (c.regionId !== region) problems.push(`cluster ${c.clusterId} is in ${c.regionId}, not ${region}`);
  // Decided by plan and cluster kind: privateLinkAddress is "" on a Dedicated cluster until a link exists.
  const eligibility = privateLinkEligibility(c);
  if (!eligibility.eligible) problems.push(eligibility.reason);
  return { problems, warning: eligibility.eligible ? eligibility.warning : undefined };
}
