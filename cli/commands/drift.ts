import { InvalidArgumentError, type Command } from 'commander';
import { DRIFT_PAGE_SIZE } from '../../shared/drift/paging.ts';
import { roleList, type DriftRole } from '../../shared/drift/roles.ts';
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
    .option(
      '--role <arn[,externalId]>',
      "also check the account of this role, taken on as a link's assumeRole is (the deployment must list it in vars.assumeRoles); repeatable",
      (v: string, roles: DriftRole[] = []) => {
        try {
          const [role, ...more] = roleList(v);
          if (!role || more.length) throw new Error('one role ARN, optionally followed by ,<externalId>');
          return [...roles, role];
        } catch (e) {
          throw new InvalidArgumentError((e as Error).message);
        }
      },
    )
    .addOption(jsonOption('machine-readable report'))
    .addOption(stateDirOption())
    .addOption(targetOption())
    .addOption(profileOption())
    .action(
      async (opts: TargetOptions & { region?: string[]; remediate?: boolean; pageSize?: number; role?: DriftRole[]; json?: boolean }) => {
        await onTarget(
          opts.target,
          { accountId: process.env.ALIBABA_CLOUD_ACCOUNT_ID, profile: opts.profile },
          opts.stateDir,
          opts.target !== 'cloudflow',
          async (target) => {
            const regions = configuredRegions(opts.region, target.region);
            const result = await runDrift(target, {
              regions,
              remediate: Boolean(opts.remediate),
              pageSize: opts.pageSize,
              roles: opts.role,
            });
            if (!result.report)
              throw new Error(
                `the drift check ${result.execution} ended ${result.status} without a report${result.cause ? `: ${result.cause.code} ${result.cause.message}` : ''}`,
              );
            if (opts.json) console.log(JSON.stringify(result, null, 2));
            else {
              console.log(formatDrift(result.report));
              for (const r of result.remediation ?? []) console.log(`  remediation: ${JSON.stringify(r)}`);
            }
            process.exitCode = result.report.drifted > 0 ? 2 : 0;
          },
        );
      },
    );
}
