import type { Command } from 'commander';
import { awaitExecution } from '../await-execution.ts';
import { startAdoptRun } from '../../shared/adopt/run.ts';
import { adoptInput } from '../../shared/adopt/request.ts';
import type { AdoptionReport } from '../../shared/adopt/types.ts';
import { ADOPT_FLOW } from '../../shared/flow-names.ts';
import type { Failure, LinkState } from '../../shared/steps/types.ts';
import { onTarget, specOrExit } from '../exit.ts';
import { jsonOption, specFileOption, stateDirOption, targetOption } from '../options.ts';

const MARK = { create: '+', update: '~', remove: '-', reuse: '=', keep: '=', conflict: '!' } as const;
const ITEM = { adopt: '+', keep: '=', leave: '·' } as const;

/** What the adoption report says, in a terminal's words; `destroy` is named, since from now on it deletes what was adopted. */
export function formatAdoption(r: AdoptionReport, spec: { vpcId: string }): string {
  const lines = [`adopt for link ${r.linkId} (${spec.vpcId})${r.written ? '' : ' — dry run, nothing written'}`];
  for (const refusal of r.refusals) lines.push(`  ✗ refused: ${refusal}`);
  for (const i of r.items) lines.push(`  ${ITEM[i.action]} ${i.action.padEnd(6)} ${i.resource.padEnd(18)} ${i.id}  ${i.detail}`);
  if (r.refusals.length) {
    lines.push('Nothing was adopted.');
    return lines.join('\n');
  }
  lines.push(`How the link then differs from the spec (${r.differenceCount}; zpl apply makes these changes):`);
  for (const d of r.differences) {
    lines.push(`  ${MARK[d.action]} ${d.action.padEnd(8)} ${d.resource.padEnd(20)} ${d.detail}`);
    if (d.risk) lines.push(`  ${' '.repeat(32)} ⚠ ${d.risk}`);
  }
  if (r.differenceCount > r.differences.length)
    lines.push(`  … and ${r.differenceCount - r.differences.length} more (zpl plan lists them all)`);
  const adopted = r.items.some((i) => i.action === 'adopt');
  lines.push(
    r.written
      ? 'Adopted: zpl apply now converges these resources on the spec (revoking rules and removing zones and tags it does not ask for), zpl drift reports on them, and zpl destroy DELETES them.'
      : adopted
        ? 'Run again with --yes to adopt. Once adopted, zpl apply converges them on the spec, zpl drift reports on them, and zpl destroy DELETES them.'
        : "Nothing to adopt: every named resource is already this link's.",
  );
  return lines.join('\n');
}

/** `zpl adopt`: take the named existing endpoint, group and zone over for a link (shown first; written with --yes). */
export function registerAdopt(program: Command): void {
  program
    .command('adopt')
    .description(
      'take over an existing endpoint (and the named security group and zone) for a link: shows what it would adopt; --yes adopts',
    )
    .addOption(specFileOption())
    .requiredOption('--endpoint <id>', "the interface endpoint to Zilliz's endpoint service to adopt")
    .option('--security-group <id>', "one of the endpoint's security groups to adopt (its others stay yours)")
    .option('--zone <id>', 'the private zone bound to the VPC to adopt, with the records of the spec’s clusters in it')
    .option('--dry-run', 'only show what would be adopted and how the link would then differ from the spec (the default)')
    .option('--yes', 'adopt: write the ownership marks')
    .addOption(jsonOption())
    .addOption(stateDirOption())
    .addOption(targetOption())
    .action(
      async (opts: {
        file: string;
        endpoint: string;
        securityGroup?: string;
        zone?: string;
        dryRun?: boolean;
        yes?: boolean;
        json?: boolean;
        stateDir: string;
        target: string;
      }) => {
        const spec = specOrExit(opts.file);
        const request = adoptInput().safeParse({
          endpointId: opts.endpoint,
          ...(opts.securityGroup ? { securityGroupId: opts.securityGroup } : {}),
          ...(opts.zone ? { zoneId: opts.zone } : {}),
          confirm: Boolean(opts.yes) && !opts.dryRun,
        });
        if (!request.success) {
          for (const i of request.error.issues) console.error(`zpl: --${String(i.path[0])}: ${i.message}`);
          process.exit(2);
        }
        await onTarget(opts.target, spec, opts.stateDir, true, async (target) => {
          const started = await startAdoptRun(target.flows, spec, request.data);
          const ended = await awaitExecution(target, ADOPT_FLOW, started.Name);
          const out = ended.Output ? (JSON.parse(ended.Output) as { state?: LinkState; failed?: Failure | null }) : {};
          const report = out.state?.adoption;
          if (ended.Status !== 'Succeeded' || !report) {
            console.error(
              `zpl: adopt execution ${started.Name} ${ended.Status}${out.failed ? `: ${out.failed.code}: ${out.failed.message}` : ''}`,
            );
            process.exitCode = 1;
            return;
          }
          console.log(opts.json ? JSON.stringify({ execution: started.Name, ...report }, null, 2) : formatAdoption(report, spec));
          process.exitCode = report.refusals.length ? 2 : 0;
        });
      },
    );
}
