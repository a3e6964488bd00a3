import type { Command } from 'commander';
import { buildAll } from '../build.ts';
import { fail } from '../exit.ts';
import { accountIdOption, eventBusOption, outOption, regionOption } from '../options.ts';

/** `zpl build` (`npm run build`): bundles, rendered flows and RAM policies under one directory. */
export function registerBuild(program: Command): void {
  program
    .command('build')
    .description(
      'bundle every function (esbuild) into dist/functions, render the flows for an account and region into dist/flows, write the RAM policies to dist/ram',
    )
    .addOption(regionOption('region to render the flows for'))
    .addOption(accountIdOption('Alibaba Cloud account ID to render the flows for'))
    .addOption(eventBusOption('EventBridge bus for outcome events'))
    .addOption(outOption('dist'))
    .action(async (opts: { region: string; accountId?: string; eventBus?: string; out: string }) => {
      const result = await buildAll({ outDir: opts.out, region: opts.region, accountId: opts.accountId, eventBus: opts.eventBus }).catch(
        fail,
      );
      for (const f of result.functions) {
        console.log(`  function ${f.name.padEnd(28)} ${(f.bytes / 1024).toFixed(0).padStart(5)} KiB`);
        // The status page's module, loaded by the API on the first /page request.
        if (f.pageBytes) console.log(`           ${`${f.name}/page.js`.padEnd(28)} ${(f.pageBytes / 1024).toFixed(0).padStart(5)} KiB`);
      }
      for (const f of result.flows) console.log(`  flow     ${f}`);
      for (const p of result.policies) console.log(`  policy   ${p}`);
      for (const n of result.notes) console.log(`  note: ${n}`);
    });
}
