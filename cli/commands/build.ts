import { Option, type Command } from 'commander';
import { dirname, join } from 'node:path';
import { buildAll } from '../build.ts';
import { fail } from '../exit.ts';
import { deployTarget, deployVars } from '../../deploy/deploy-vars.ts';
import { targetChecks, templateOption } from '../options.ts';

/**
 * `zpl build` (`npm run build`): bundles, rendered flows and RAM policies under the s.yaml's
 * folder's dist/, for the region, account, bus and secrets s.yaml's vars name (the one source
 * `s deploy` reads too). No account ID in s.yaml: exit 1 saying where to set it.
 */
export function registerBuild(program: Command): void {
  const command = program
    .command('build')
    .description(
      "bundle every function (esbuild) into dist/functions, render the flows into dist/flows and write the RAM policies to dist/ram, for s.yaml's vars (region, accountId, eventBus, secret names)",
    )
    .addOption(templateOption())
    .addOption(new Option('-o, --out <dir>', 'output directory (default: dist/ beside s.yaml, where s.yaml points)'));
  for (const o of targetChecks()) command.addOption(o);
  command.action(async (opts: { template: string; out?: string; region?: string; accountId?: string; eventBus?: string }) => {
    const target = await Promise.resolve()
      .then(() => deployTarget(deployVars(opts.template), opts, opts.template))
      .catch(fail);
    const result = await buildAll({ outDir: opts.out ?? join(dirname(opts.template), 'dist'), ...target }).catch(fail);
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
