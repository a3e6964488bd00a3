import { InvalidArgumentError, type Command } from 'commander';
import { DRIFT_PAGE_SIZE } from '../../shared/drift/paging.ts';
import { formatDrift, runDrift } from '../drift.ts';
import { onTarget } from '../exit.ts';
import { jsonOption, profileOption, stateDirOption, targetOption, type TargetOptions } from '../options.ts';
import { configuredRegions, regionsOption } from '../regions.ts';

/** `zpl drift`: every managed link against its recorded desired state; exit 2 when any drifted. */
export function registerDrift(program: Command): void {
  program
    .command('drift')
    .description(
      'compare every managed link of the configured regions with the desired state recorded on its resources (exit 2 when any drifted); --remediate re-runs provisioning for drifted links',
    )
    .addOption(regionsOption())
    .option('--remediate', 're-run the provision flow for each drifted link')
    .option('--page-size <n>', 'links per page of the check (default 1000, the most)', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > DRIFT_PAGE_SIZE)
        throw new InvalidArgumentError(`a whole number from 1 to ${DRIFT_PAGE_SIZE}`);
      return n;
    })
    .addOption(jsonOption('machine-readable report'))
    .addOption(stateDirOption())
    .addOption(targetOption())
    .addOption(profileOption())
    .action(async (opts: TargetOptions & { region?: string[]; remediate?: boolean; pageSize?: number; json?: boolean }) => {
      await onTarget(
        opts.target,
        { accountId: process.env.ALIBABA_CLOUD_ACCOUNT_ID, profile: opts.profile },
        opts.stateDir,
        opts.target !== 'cloudflow',
        async (target) => {
          const regions = configuredRegions(opts.region, target.region);
          const result = await runDrift(target, { regions, remediate: Boolean(opts.remediate), pageSize: opts.pageSize });
          if (!result.report) throw new Error(`the drift check ended ${result.status} without a report`);
          if (opts.json) console.log(JSON.stringify(result, null, 2));
          else {
            console.log(formatDrift(result.report));
            for (const r of result.remediation ?? []) console.log(`  remediation: ${JSON.stringify(r)}`);
          }
          process.exitCode = result.report.drifted > 0 ? 2 : 0;
        },
      );
    });
}
