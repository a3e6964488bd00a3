import type { CloudFlowApi } from '../aliyun/cloudflow.ts';
import { PROVISION_FLOW } from '../flow-names.ts';
import { LinkBusyError, startLinkRun } from '../link-runs.ts';
import type { LinkSpec } from '../spec.ts';
import type { StepDeps } from '../steps/types.ts';
import { boundedFindings, checkDrift, MAX_DRIFTED_PER_RUN } from './check.ts';
import { specFromLink } from './spec-from-link.ts';
import type { DriftReport, Finding } from './types.ts';

export interface DriftCheckInput {
  regions?: string[];
  remediate?: boolean;
}

export interface DriftedLink {
  linkId: string;
  vpcId: string;
  region: string;
  findings: Finding[];
  /** The spec read back for remediation; absent when too little was recorded. */
  spec?: LinkSpec;
}

/** The drift flow's first step: the report, and the drifted links for the announce and remediate maps. */
export async function driftCheck(
  input: DriftCheckInput,
  deps: StepDeps,
  accountId: string,
  region: string,
): Promise<{ report: DriftReport; drifted: DriftedLink[]; remediate: 'on' | 'off' }> {
  const { report, links, drifted: all } = await checkDrift(deps, { regions: input.regions?.length ? input.regions : [region] });
  const byId = new Map(links.map((l) => [l.linkId, l]));
  // At most MAX_DRIFTED_PER_RUN go to the announce and remediate maps (state stays O(1) in links);
  // the rest are counted as deferred; the next run takes its own turn (thisRunsTurn), so every
  // drifted link is reached.
  const drifted = all
    .slice(0, MAX_DRIFTED_PER_RUN)
    .map(boundedFindings)
    .map((l) => ({
      linkId: l.linkId,
      vpcId: l.vpcId,
      region: l.region,
      findings: l.findings,
      spec: specFromLink(byId.get(l.linkId)!, accountId),
    }));
  // A string for the flow's Choice (CloudFlow documents comparisons for strings and numbers).
  return { report, drifted, remediate: input.remediate === true ? 'on' : 'off' };
}

/** Starts (or joins) the provision flow for a drifted link; remediation is just an idempotent re-run. */
export async function remediate(
  flows: CloudFlowApi,
  item: DriftedLink,
): Promise<{ linkId: string; execution?: string; joined?: boolean; skipped?: string }> {
  if (!item.spec) return { linkId: item.linkId, skipped: 'the recorded state is not enough to rebuild the spec' };
  try {
    const { execution, joined } = await startLinkRun(flows, PROVISION_FLOW, item.spec, { spec: item.spec, source: 'drift' });
    return { linkId: item.linkId, execution: execution.Name, joined };
  } catch (e) {
    if (e instanceof LinkBusyError) return { linkId: item.linkId, skipped: e.message };
    throw e;
  }
}
