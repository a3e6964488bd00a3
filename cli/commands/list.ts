import type { Command } from 'commander';
import { onTarget } from '../exit.ts';
import { listLinks } from '../fleet-status.ts';
import { jsonOption, stateDirOption, targetOption } from '../options.ts';
import { configuredRegions, regionsOption } from '../regions.ts';

/** `zpl list`: the managed links of the configured regions, each ready, provisioning, destroying, drifted or failed. */
export function registerList(program: Command): void {
  program
    .command('list')
    .description(
      'list the links zpl manages in the configured regions (found from the tags it wrote), each ready, provisioning, destroying, drifted or failed',
    )
    .addOption(regionsOption())
    .addOption(jsonOption())
    .addOption(stateDirOption())
    .addOption(targetOption())
    .action(async (opts: { region?: string[]; json?: boolean; stateDir: string; target: string }) => {
      await onTarget(opts.target, {}, opts.stateDir, false, async (target) => {
        const list = await listLinks(target, configuredRegions(opts.region, target.region));
        if (opts.json) {
          console.log(JSON.stringify(list, null, 2));
          return;
        }
        for (const l of list.links) {
          const run = l.lastRun ? `${l.lastRun.execution} ${l.lastRun.status}` : '';
          console.log(
            `${l.linkId}  ${l.status.padEnd(12)} ${l.region.padEnd(14)} ${l.vpcId.padEnd(26)} ${(l.endpointId ?? '-').padEnd(24)} ${String(l.clusters.length).padStart(3)} cluster(s)  ${run}`.trimEnd(),
          );
          for (const f of l.findings) console.log(`    ${f.kind.padEnd(28)} ${f.detail}`);
        }
        const counts = [...new Set(list.links.map((l) => l.status))].map((s) => `${list.links.filter((l) => l.status === s).length} ${s}`);
        console.log(`${list.links.length} link(s) in ${list.regions.join(', ')}${counts.length ? `: ${counts.join(', ')}` : ''}`);
      });
    });
}
