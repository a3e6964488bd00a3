import { DRIFT_FLOW } from '../shared/flow-names.ts';
import type { RemediationResult } from '../shared/drift/handlers.ts';
import type { DriftRole } from '../shared/drift/roles.ts';
import type { DriftReport } from '../shared/drift/types.ts';
import { readRun, runRef } from '../shared/page/run-history.ts';
import type { Cause } from '../shared/page/views.ts';
import { awaitExecution } from './await-execution.ts';
import type { Target } from './target.ts';

/** Runs the drift flow once on the target and waits for its report. */
export async function runDrift(
  target: Target,
  opts: { regions: string[]; remediate: boolean; pageSize?: number; roles?: DriftRole[] },
): Promise<{ execution: string; status: string; report?: DriftReport; remediation?: RemediationResult[]; cause?: Cause }> {
  const name = `drift-cli-${Date.now().toString(36)}`;
  await target.flows.start(DRIFT_FLOW, name, {
    regions: opts.regions,
    remediate: opts.remediate,
    ...(opts.pageSize ? { pageSize: opts.pageSize } : {}),
    ...(opts.roles?.length ? { roles: opts.roles } : {}),
  });
  const e = await awaitExecution(target, DRIFT_FLOW, name);
  const out = e.Output ? (JSON.parse(e.Output) as { report?: DriftReport; remediation?: { result: RemediationResult }[] }) : {};
  // No report: why the run ended, from its history as the status page reads it (e.g. a role the deployment does not list).
  const cause = out.report ? undefined : readRun(runRef(DRIFT_FLOW, e), await target.flows.history(DRIFT_FLOW, name)).view.cause;
  return {
    execution: name,
    status: e.Status,
    report: out.report,
    remediation: out.remediation?.map((r) => r.result),
    ...(cause ? { cause } : {}),
  };
}

export function formatDrift(report: DriftReport): string {
  const lines = [
    // A count of 0 means none was taken (a check always lists each region): left out, not shown as 0.
    `drift check of ${report.checked} link(s) in ${report.regions.join(', ')}${report.accounts ? ` (accounts ${report.accounts.join(', ')})` : ''}: ${report.drifted} drifted${report.calls > 0 ? ` (${report.calls} API calls)` : ''}`,
  ];
  // Which account a link or page is in, once the check covers more than one.
  const inAccount = (account: string | undefined) => (report.accounts && account ? ` in account ${account}` : '');
  if ((report.pages ?? 0) > 1) lines.push(`  ${report.pages} pages of up to ${report.pageSize} links`);
  for (const f of report.failures ?? [])
    lines.push(`  ✗ page ${f.page} of ${f.of} in ${f.region}${inAccount(f.account)} failed: ${f.code} ${f.message}`);
  if ((report.pagesFailed ?? 0) > (report.failures?.length ?? 0))
    lines.push(`  … ${report.pagesFailed! - report.failures!.length} more failed page(s)`);
  if (report.linksLeft) lines.push(`  ${report.linksLeft} link(s) in pages left for the next runs`);
  if (report.partial) lines.push(`  partial: ${report.managed ?? '?'} managed link(s), ${report.checked} checked`);
  for (const l of report.links) {
    lines.push(`  ${l.clean ? '✓' : '✗'} ${l.linkId}  ${l.vpcId}  ${l.endpointId ?? '(no endpoint)'}${inAccount(l.account)}`);
    for (const f of l.findings) lines.push(`      ${f.kind.padEnd(28)} ${f.detail}`);
    if (l.moreFindings) lines.push(`      … ${l.moreFindings} more findings (in its zpl.drift.detected event)`);
  }
  if (report.drifted > report.links.length)
    lines.push(`  … ${report.drifted - report.links.length} more drifted links (each announced as zpl.drift.detected)`);
  if (report.deferred) lines.push(`  ${report.deferred} drifted link(s) left for the next run to announce and remediate`);
  return lines.join('\n');
}
