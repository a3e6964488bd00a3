import type { ZillizCluster } from './client.ts';

/**
 * Which clusters may use a private link: "此功能仅限 Dedicated 集群使用" (zdoc_cn
 * setup-a-private-link-alicloud). Plans, as the Terraform provider names them
 * (internal/cluster/cluster_resource.go): Free, Serverless, Standard, Enterprise,
 * BusinessCritical; the last three are Dedicated. The provider also treats an `in03-` cluster
 * as Free whatever its plan says (client/cluster.go DescribeCluster), and `in05-` IDs are
 * serverless (zdoc_cn describe-cluster: `in05-…` with `"plan": "Serverless"`).
 *
 * Eligibility never depends on `privateLinkAddress`: it is `""` on a Dedicated cluster until a
 * private link exists.
 */
export const DEDICATED_PLANS = ['Standard', 'Enterprise', 'BusinessCritical'] as const;
const SHARED_PLANS = /^(free|serverless)$/i;
const SHARED_CLUSTER_ID = /^in0[35]-/;

export type Eligibility = { eligible: true; warning?: string } | { eligible: false; reason: string };

export function privateLinkEligibility(cluster: Pick<ZillizCluster, 'clusterId' | 'plan'>): Eligibility {
  const plan = (cluster.plan ?? '').trim();
  if (SHARED_PLANS.test(plan) || SHARED_CLUSTER_ID.test(cluster.clusterId)) {
    return {
      eligible: false,
      reason: `cluster ${cluster.clusterId} is a ${plan || 'Free or Serverless'} cluster; private link needs a Dedicated cluster`,
    };
  }
  if (DEDICATED_PLANS.some((p) => p.toLowerCase() === plan.toLowerCase())) return { eligible: true };
  // A plan name not seen before (or none): Zilliz itself refuses an ineligible project at
  // registration (96028 "plan not eligible"), so let it decide rather than refuse here.
  return {
    eligible: true,
    warning: `cluster ${cluster.clusterId} has plan ${plan ? `"${plan}"` : '(none)'}, not one of ${DEDICATED_PLANS.join(', ')}; Zilliz decides at registration`,
  };
}
