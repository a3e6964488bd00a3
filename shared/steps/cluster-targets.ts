import { pool, READS_AT_ONCE } from '../pool.ts';
import type { LinkSpec } from '../spec.ts';
import type { ClusterTarget, StepDeps } from './types.ts';
import { clusterTarget } from './validate.ts';

/**
 * Where each cluster of the spec answers, read back from Zilliz (describe cluster) by the step
 * that needs it instead of carried in flow state, so state does not grow with the clusters.
 */
export async function clusterTargets(spec: LinkSpec, deps: StepDeps): Promise<ClusterTarget[]> {
  return pool(spec.clusters, READS_AT_ONCE, async (clusterId) => {
    const { port: _port, ...target } = clusterTarget(spec, await deps.zilliz.describeCluster(clusterId));
    return target;
  });
}
