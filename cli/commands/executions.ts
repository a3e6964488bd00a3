import type { Command } from 'commander';
import { onTarget } from '../exit.ts';
import { listExecutions } from '../executions.ts';
import { jsonOption, stateDirOption, targetOption } from '../options.ts';

/** `zpl executions`: zpl's executions (CloudFlow's ListExecutions of each flow), newest first, one link's with --link. */
export function registerExecutions(program: Command): void {
  program
    .command('executions')
    .description("list zpl's executions (provision, teardown, drift, follow) newest first; --link narrows to one link's runs and followers")
    .option('--link <id>', 'only this link (zpl-<12 hex>, as apply and list show it)')
    .option('--region <region>', 'region of the CloudFlow flows (CloudFlow targets)')
    .addOption(jsonOption())
    .addOption(stateDirOption())
    .addOption(targetOption())
    .action(async (opts: { link?: string; region?: string; json?: boolean; stateDir: string; target: string }) => {
      if (opts.link !== undefined && !/^zpl-[0-9a-f]{12}$/.test(opts.link)) {
        console.error(`zpl: --link ${opts.link} is not a link ID (zpl-<12 hex>, as zpl list shows it)`);
        process.exit(2);
      }
      await onTarget(opts.target, { region: opts.region }, opts.stateDir, false, async (target) => {
        const executions = await listExecutions(target.flows, opts.link);
        if (opts.json) {
          console.log(JSON.stringify({ executions }, null, 2));
          return;
        }
        for (const e of executions)
          console.log(
            `${e.execution.padEnd(40)} ${e.flow.padEnd(14)} ${e.status.padEnd(10)} ${e.startedTime}  ${e.stoppedTime ?? ''}`.trimEnd(),
          );
        console.log(`${executions.length} execution(s)${opts.link ? ` of link ${opts.link}` : ''}`);
      });
    });
}
