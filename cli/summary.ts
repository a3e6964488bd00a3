import type { Execution } from '../shared/aliyun/cloudflow.ts';
import type { LinkReport } from '../shared/steps/report.ts';
import { duration } from './progress.ts';

/** The end of `zpl apply`: what exists now, how it was verified, or why it stopped. */
export function formatSummary(execution: Execution, report: LinkReport | undefined, realMs: number): string {
  const out: string[] = [];
  const took = execution.StoppedTime ? duration(Date.parse(execution.StoppedTime) - Date.parse(execution.StartedTime)) : '?';
  if (!report) {
    out.push(`${execution.Status} after ${took}: the run produced no report (see \`zpl status ${execution.Name}\`).`);
    return out.join('\n');
  }
  out.push('', 'Summary');
  out.push(`  link            ${report.linkId} (${report.projectId}, ${report.region}, ${report.vpcId})`);
  if (report.endpoint) {
    out.push(`  endpoint        ${report.endpoint.id}  ${report.endpoint.domain ?? ''}`.trimEnd());
    if (report.endpoint.zones.length) out.push(`                  ${report.endpoint.zones.map((z) => `${z.zoneId} ${z.ip}`).join(', ')}`);
  }
  if (report.securityGroupId) out.push(`  security group  ${report.securityGroupId}`);
  if (report.dnsZoneId) out.push(`  private zone    ${report.dnsZoneId}`);
  for (const r of report.records) out.push(`  record          ${r.host} (record ${r.recordId})`);
  if ((report.recordCount ?? 0) > report.records.length)
    out.push(`                  and ${report.recordCount - report.records.length} more records in private zone ${report.dnsZoneId}`);
  if (report.unverified) out.push('', `Verification: not verified from ${report.unverified.vpcId}: ${report.unverified.reason}`);
  if (report.verified?.length) {
    out.push('', `Verification (from inside ${report.vpcId})`);
    for (const v of report.verified) {
      out.push(`  ${v.host}`);
      out.push(`    resolver ${v.resolver}: CNAME ${v.cname.join(' → ')} → ${v.addresses.join(', ')}`);
      for (const c of v.connections) out.push(`    TCP ${c.address} connected${c.via !== c.address ? ` (via ${c.via})` : ''}`);
    }
    if ((report.verifiedCount ?? 0) > report.verified.length)
      out.push(`  and ${report.verifiedCount - report.verified.length} more hostnames, verified the same way`);
  }
  const removal = report.changes.filter((c) => ['deleted', 'unbound', 'deregistered', 'kept', 'gone'].includes(c.action));
  if (removal.length) {
    out.push('', 'Teardown');
    for (const c of removal) out.push(`  ${c.action.padEnd(13)} ${c.resource}${c.id ? ` ${c.id}` : ''}${c.note ? ` (${c.note})` : ''}`);
  }
  if (report.failed) {
    out.push('', `Failed at ${report.failed.step}: ${report.failed.code}`, `  ${report.failed.message}`);
  }
  out.push('', `${execution.Status} after ${took} of cloud time (${(realMs / 1000).toFixed(1)}s here).`);
  return out.join('\n');
}
