import { buildAll } from '../build.ts';
import { fail } from '../exit.ts';
import { Option, type Command } from 'commander';
import { configuredAssumeRoles, splitRoles } from '../../deploy/assume-roles.ts';
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
    .addOption(
      new Option(
        '--assume-roles <arns>',
        'role ARNs (comma-separated, * wildcards) a link spec may name in assumeRole: granted as sts:AssumeRole',
      )
        .default(process.env.ZPL_ASSUME_ROLES ?? configuredAssumeRoles().join(','))
        .argParser((v) => v),
    )
    .action(async (opts: { region: string; accountId?: string; eventBus?: string; out: string; assumeRoles: string }) => {
      const result = await buildAll({
        outDir: opts.out,
        region: opts.region,
        accountId: opts.accountId,
        eventBus: opts.eventBus,
        assumeRoles: splitRoles(opts.assumeRoles),
      }).catch(fail);
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
