import { pool, READS_AT_ONCE } from '../pool.ts';
import type { LinkSpec } from '../spec.ts';
import { clusterFit } from '../steps/cluster-fit.ts';
import type { StepDeps } from '../steps/types.ts';
import { isZillizError } from '../zilliz/errors.ts';
import { fail, pass, warn, type DoctorCheck } from './report.ts';

const KEY_FIX = (projectId: string) =>
  `use a Zilliz API key with access to project ${projectId} (Zilliz Cloud console → API Keys) as ZILLIZ_API_KEY, or correct projectId`;

/**
 * The Zilliz key can read the project: listing its private endpoints is what RegisterEndpoint and
 * CheckConnection need (a key scoped to other projects is refused; the Zilliz emulator answers as
 * zdoc's describe cluster does for a key without the cluster's project).
 */
export async function zillizProjectCheck(spec: LinkSpec, deps: StepDeps): Promise<DoctorCheck> {
  const id = 'zilliz.project';
  try {
    await deps.zilliz.listEndpoints(spec.projectId);
    return pass(id, `the Zilliz API key reads project ${spec.projectId}`);
  } catch (e) {
    if (!isZillizError(e) || e.retryable) throw e;
    return fail(id, `the Zilliz API key cannot read project ${spec.projectId} (${e.code}: ${e.detail})`, KEY_FIX(spec.projectId));
  }
}

/** Each cluster readable with the key, in the project and region, and Dedicated (clusterFit, as Validate). */
export async function zillizClustersCheck(spec: LinkSpec, deps: StepDeps): Promise<DoctorCheck> {
  const id = 'zilliz.clusters';
  const problems: string[] = [];
  const warnings: string[] = [];
  await pool(spec.clusters, READS_AT_ONCE, async (clusterId) => {
    try {
      const fit = clusterFit(spec, await deps.zilliz.describeCluster(clusterId));
      problems.push(...fit.problems);
      if (fit.warning) warnings.push(fit.warning);
    } catch (e) {
      if (!isZillizError(e) || e.retryable) throw e;
      problems.push(`cluster ${clusterId}: ${e.detail} (${e.code})`);
    }
  });
  if (problems.length)
    return fail(
      id,
      problems.sort().join('; '),
      `link Dedicated clusters of project ${spec.projectId} in the spec's region; ${KEY_FIX(spec.projectId)}`,
    );
  if (warnings.length) return warn(id, warnings.sort().join('; '));
  return pass(id, `${spec.clusters.length} cluster(s) Dedicated, in ${spec.projectId} and the spec's region`);
}
