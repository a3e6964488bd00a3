import type { Command } from 'commander';
import { dnsRecordName, linkId } from '../../shared/derived.ts';
import type { LinkSpec } from '../../shared/spec.ts';
import { jsonOption, specFileOption } from '../options.ts';
import { readSpecFile, specFileProblems } from '../spec-file.ts';

/** What a valid spec derives: its link and each cluster's private-link hostname and record. */
function derived(spec: LinkSpec) {
  return {
    linkId: linkId(spec),
    hosts: spec.clusters.map((cluster) => {
      const dns = dnsRecordName(spec, cluster);
      return { cluster, hostname: dns.fqdn, zone: dns.zoneName, record: dns.rr };
    }),
  };
}

/** `zpl check`: a spec validated, and what it derives, with no cloud call; exit 2 when invalid. */
export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('validate a link spec file and show what it derives (names, hostnames), without any cloud call')
    .addOption(specFileOption())
    .addOption(jsonOption())
    .action((opts: { file: string; json?: boolean }) => {
      const result = readSpecFile(opts.file);
      if (opts.json) {
        const out = result.ok ? { ok: true, ...derived(result.spec), spec: result.spec, warnings: result.warnings } : result;
        console.log(JSON.stringify(out, null, 2));
      } else if (!result.ok) {
        for (const line of specFileProblems(opts.file, result)) console.error(line);
      } else {
        const { spec } = result;
        const { linkId, hosts } = derived(spec);
        console.log(`${opts.file}: valid — link ${linkId} (${spec.projectId}, ${spec.region}, ${spec.vpcId})`);
        for (const h of hosts) console.log(`  ${h.cluster}: ${h.hostname} (zone ${h.zone}, record ${h.record})`);
        for (const w of result.warnings) console.log(`  warning: ${w}`);
      }
      process.exitCode = result.ok ? 0 : 2;
    });
}
