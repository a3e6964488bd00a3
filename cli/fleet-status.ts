import { FINISHED_STATUSES, type CloudFlowApi, type Execution } from '../shared/aliyun/cloudflow.ts';
import { checkLinks, registeredEndpoints } from '../shared/drift/check.ts';
import { discoverLinks } from '../shared/drift/discover.ts';
import type { Finding, ManagedLink } from '../shared/drift/types.ts';
import { linkOfExecution } from '../shared/execution-flow.ts';
import { PROVISION_FLOW, TEARDOWN_FLOW } from '../shared/flow-names.ts';
import { inputOf } from '../shared/link-joins.ts';
import type { z } from '../shared/zod.ts';
import { executionRow, listed, type ExecutionRow } from './executions.ts';
import type { linkList } from './json-output.ts';
import type { Target } from './target.ts';

export type LinkList = z.infer<typeof linkList>;
export type LinkRow = LinkList['links'][number];

/** Each link's runs, provision and teardown, newest first (one paged list per flow for the whole fleet). */
async function runsByLink(flows: CloudFlowApi): Promise<Map<string, { row: ExecutionRow; execution: Execution }[]>> {
  const byLink = new Map<string, { row: ExecutionRow; execution: Execution }[]>();
  for (const run of await listed(flows, [PROVISION_FLOW, TEARDOWN_FLOW])) {
    const link = linkOfExecution(run.execution.Name);
    if (link) byLink.set(link, [...(byLink.get(link) ?? []), { row: executionRow(run), execution: run.execution }]);
  }
  return byLink;
}

/**
 * A link's status: its latest run in flight (provisioning, destroying) or ended other than
 * Succeeded (failed) decides first; otherwise the drift comparison (drifted with findings, else ready).
 */
function statusOf(lastRun: ExecutionRow | undefined, findings: Finding[]): LinkRow['status'] {
  if (lastRun && !FINISHED_STATUSES.has(lastRun.status)) return lastRun.flow === TEARDOWN_FLOW ? 'destroying' : 'provisioning';
  if (lastRun && lastRun.status !== 'Succeeded') return 'failed';
  return findings.length ? 'drifted' : 'ready';
}

const row = (l: ManagedLink, lastRun: ExecutionRow | undefined, findings: Finding[]): LinkRow => ({
  linkId: l.linkId,
  status: statusOf(lastRun, findings),
  region: l.region,
  vpcId: l.vpcId,
  ...(l.desired.projectId ? { projectId: l.desired.projectId } : {}),
  ...(l.endpoint ? { endpointId: l.endpoint.id } : {}),
  ...(l.securityGroup ? { securityGroupId: l.securityGroup.id } : {}),
  clusters: l.desired.clusters,
  findings,
  ...(lastRun ? { lastRun: runOnly(lastRun) } : {}),
});

/** The run as a link's row shows it (the row names the link). */
const runOnly = ({ linkId: _, ...run }: ExecutionRow) => run;

/**
 * The managed links of `regions` with their status (`zpl list`). Links are discovered from the
 * tags zpl wrote (shared/drift/discover.ts) and compared as a drift check compares them
 * (shared/drift/check.ts: two lists a region, one a project, about four reads a link), here in
 * this process and without announcing anything. A link whose run has not tagged anything yet (its
 * first run in flight or failed early) is added from its executions' input (ListExecutions answers
 * each execution's `Input`: fnf metadata); one whose last teardown succeeded is gone.
 */
export async function listLinks(target: Target, regions: string[]): Promise<LinkList> {
  const runs = await runsByLink(target.flows);
  const links: LinkRow[] = [];
  for (const region of regions) {
    const deps = target.deps(region);
    const managed = await discoverLinks(deps, region);
    const checked = await checkLinks(deps, managed, await registeredEndpoints(deps, managed), 8, managed);
    const findings = new Map(checked.map((c) => [c.linkId, c.findings]));
    for (const l of managed) links.push(row(l, runs.get(l.linkId)?.[0]?.row, findings.get(l.linkId) ?? []));
    const found = new Set(managed.map((l) => l.linkId));
    for (const [id, history] of runs) {
      const last = history[0]!;
      const spec = inputOf(last.execution).spec as { region?: string; vpcId?: string; projectId?: string; clusters?: string[] } | undefined;
      if (found.has(id) || spec?.region !== region || !spec.vpcId) continue;
      if (last.row.flow === TEARDOWN_FLOW && last.row.status === 'Succeeded') continue;
      const missing: Finding[] =
        last.row.status === 'Succeeded' ? [{ kind: 'endpoint.missing', detail: `nothing tagged for link ${id} in ${spec.vpcId}` }] : [];
      const bare: ManagedLink = {
        linkId: id,
        region,
        vpcId: spec.vpcId,
        desired: { projectId: spec.projectId, clusters: spec.clusters ?? [], zones: [], dnsLayout: 'region-zone', userTags: {} },
      };
      links.push(row(bare, last.row, missing));
    }
  }
  return { regions, links: links.sort((a, b) => a.region.localeCompare(b.region) || a.linkId.localeCompare(b.linkId)) };
}
