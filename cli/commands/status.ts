import type { Command } from 'commander';
import { FINISHED_STATUSES } from '../../shared/aliyun/cloudflow.ts';
import { DRIFT_FLOW } from '../../shared/flow-names.ts';
import type { DriftReport } from '../../shared/drift/types.ts';
import type { z } from '../../shared/zod.ts';
import { finishedEvent, jsonLine } from '../apply.ts';
import { formatDrift } from '../drift.ts';
import { onTarget } from '../exit.ts';
import { findExecution } from '../find-execution.ts';
import type { executionView, RunStatus } from '../json-output.ts';
import { followOption, jsonOption, profileOption, stateDirOption, targetOption, type TargetOptions } from '../options.ts';
import { follow, formatLine, ProgressReader } from '../progress.ts';
import { formatSummary } from '../summary.ts';

/** `zpl status`: one execution of any of zpl's flows (told by its name), its steps, and its summary once it has ended. */
export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('show an execution of any of zpl flows (provision, teardown, drift, follow): status, steps with timings, outputs or error')
    .argument('<execution>', 'execution name (as apply printed it)')
    .addOption(followOption('keep following until it ends'))
    .addOption(jsonOption('the execution as one JSON object; with --follow, one object a line per step and the end'))
    .option('--flow <name>', 'flow name (default: read from the execution name, else each of zpl flows in turn)')
    .option('--region <region>', 'region (CloudFlow targets)')
    .addOption(stateDirOption())
    .addOption(targetOption())
    .addOption(profileOption())
    .action(async (name: string, opts: TargetOptions & { follow?: boolean; json?: boolean; flow?: string; region?: string }) => {
      await onTarget(
        opts.target,
        { region: opts.region, regionFrom: '--region', profile: opts.profile },
        opts.stateDir,
        false,
        async (target) => {
          const { flow, execution } = await findExecution(target.flows, name, opts.flow);
          if (opts.follow && !FINISHED_STATUSES.has(execution.Status)) {
            const emit = jsonLine((l) => console.log(l));
            const result = await follow(target.flows, flow, name, {
              pollMs: target.pollMs,
              onLine: opts.json ? (l) => emit({ event: 'step', execution: name, ...l }) : (l) => console.log(formatLine(l)),
            });
            if (opts.json) emit(finishedEvent(flow, result.execution, result.report));
            else console.log(formatSummary(result.execution, result.report, 0));
            process.exitCode = result.execution.Status === 'Succeeded' ? 0 : 1;
            return;
          }
          const events = await target.flows.history(flow, name);
          const reader = new ProgressReader();
          const lines = reader.read(events);
          const current = FINISHED_STATUSES.has(execution.Status)
            ? undefined
            : [...events].reverse().find((e) => e.Type === 'StepEntered')?.StepName;
          const drift =
            flow === DRIFT_FLOW && execution.Output ? (JSON.parse(execution.Output) as { report?: DriftReport }).report : undefined;
          if (opts.json) {
            const view: z.infer<typeof executionView> = {
              execution: name,
              flow,
              status: execution.Status as RunStatus,
              startedTime: execution.StartedTime,
              ...(execution.StoppedTime ? { stoppedTime: execution.StoppedTime } : {}),
              ...(current ? { currentStep: current } : {}),
              steps: lines,
              ...(reader.report ? { report: reader.report } : {}),
              ...(drift ? { driftReport: drift } : {}),
            };
            console.log(JSON.stringify(view, null, 2));
            return;
          }
          console.log(
            `${name}: ${execution.Status} (${flow}, started ${execution.StartedTime}${execution.StoppedTime ? `, stopped ${execution.StoppedTime}` : ''})`,
          );
          for (const l of lines) console.log(formatLine(l));
          if (current) console.log(`  now in ${current}`);
          if (drift) console.log(formatDrift(drift));
          else if (FINISHED_STATUSES.has(execution.Status)) console.log(formatSummary(execution, reader.report, 0));
        },
      );
    });
}
