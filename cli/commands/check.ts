import type { Command } from 'commander';
import { dnsRecordName, linkId } from '../../shared/derived.ts';
import { jsonOption, specFileOption } from '../options.ts';
import { readSpecFile } from '../spec-file.ts';

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
        console.log(JSON.stringify(result.ok ? { ok: true, spec: result.spec, warnings: result.warnings } : result, null, 2));
      } else if (!result.ok) {
        console.error(`${opts.file}: invalid link spec`);
        for (const e of result.errors) console.error(`  - ${e.field || '(spec)'}: ${e.message}`);
      } else {
        const { spec } = result;
        console.log(`${opts.file}: valid — link ${linkId(spec)} (${spec.projectId}, ${spec.region}, ${spec.vpcId})`);
        for (const cluster of spec.clusters) {
          const dns = dnsRecordName(spec, cluster);
          console.log(`  ${cluster}: ${dns.fqdn} (zone ${dns.zoneName}, record ${dns.rr})`);
        }
        for (const w of result.warnings) console.log(`  warning: ${w}`);
      }
      process.exitCode = result.ok ? 0 : 2;
    });
}
