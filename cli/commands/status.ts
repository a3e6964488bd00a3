import type { Command } from 'commander';
import { FINISHED_STATUSES } from '../../shared/aliyun/cloudflow.ts';
import { PROVISION_FLOW } from '../../shared/flows.ts';
import { onTarget } from '../exit.ts';
import { followOption, jsonOption, stateDirOption, targetOption } from '../options.ts';
import { follow, formatLine, ProgressReader } from '../progress.ts';
import { formatSummary } from '../summary.ts';

/** `zpl status`: one execution's steps, and its summary once it has ended. */
export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('show an execution of the provision flow: status, steps with timings, outputs or error')
    .argument('<execution>', 'execution name (as apply printed it)')
    .addOption(followOption('keep following until it ends'))
    .addOption(jsonOption())
    .option('--flow <name>', 'flow name', PROVISION_FLOW)
    .option('--region <region>', 'region (CloudFlow targets)', 'cn-hangzhou')
    .addOption(stateDirOption())
    .addOption(targetOption())
    .action(
      async (name: string, opts: { follow?: boolean; json?: boolean; flow: string; region: string; stateDir: string; target: string }) => {
        await onTarget(opts.target, { region: opts.region, regionFrom: '--region' }, opts.stateDir, false, async (target) => {
          const execution = await target.flows.describe(opts.flow, name);
          if (opts.follow && !FINISHED_STATUSES.has(execution.Status)) {
            const result = await follow(target.flows, opts.flow, name, {
              pollMs: target.pollMs,
              onLine: opts.json ? undefined : (l) => console.log(formatLine(l)),
            });
            console.log(opts.json ? JSON.stringify(result, null, 2) : formatSummary(result.execution, result.report, 0));
            process.exitCode = result.execution.Status === 'Succeeded' ? 0 : 1;
            return;
          }
          const events = await target.flows.history(opts.flow, name);
          const reader = new ProgressReader();
          const lines = reader.read(events);
          if (opts.json) console.log(JSON.stringify({ execution, steps: lines, report: reader.report }, null, 2));
          else {
            console.log(
              `${name}: ${execution.Status} (started ${execution.StartedTime}${execution.StoppedTime ? `, stopped ${execution.StoppedTime}` : ''})`,
            );
            for (const l of lines) console.log(formatLine(l));
            const current = [...events].reverse().find((e) => e.Type === 'StepEntered');
            if (!FINISHED_STATUSES.has(execution.Status) && current) console.log(`  now in ${current.StepName}`);
            if (FINISHED_STATUSES.has(execution.Status)) console.log(formatSummary(execution, reader.report, 0));
          }
        });
      },
    );
}
