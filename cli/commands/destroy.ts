import type { Command } from 'commander';
import { TEARDOWN_FLOW } from '../../shared/flows.ts';
import { linkId } from '../../shared/derived.ts';
import { applyLink } from '../apply.ts';
import { confirmOrExit } from '../confirm.ts';
import { onTarget, specOrExit } from '../exit.ts';
import { followOption, jsonOption, profileOption, specFileOption, stateDirOption, targetOption, type TargetOptions } from '../options.ts';

/** `zpl destroy`: the teardown flow for a spec, or for some of its clusters. */
export function registerDestroy(program: Command): void {
  program
    .command('destroy')
    .description(
      "tear down what zpl created for a link (or, with --cluster, only those clusters' DNS records); never deletes what it did not create",
    )
    .addOption(specFileOption())
    .option('--cluster <id...>', 'remove only these clusters from the link')
    .option('-y, --yes', 'destroy without asking (also spelled -auto-approve); needed when stdin is not a terminal')
    .addOption(followOption())
    .addOption(jsonOption('one JSON object a line: the run started, and with --follow each step and the end'))
    .addOption(stateDirOption())
    .addOption(targetOption())
    .addOption(profileOption())
    .action(async (opts: TargetOptions & { file: string; cluster?: string[]; yes?: boolean; follow?: boolean; json?: boolean }) => {
      const spec = specOrExit(opts.file);
      const link = `link ${linkId(spec)} (${spec.projectId}, ${spec.region}, ${spec.vpcId})`;
      await confirmOrExit(
        opts.cluster
          ? [`zpl will remove the DNS records of ${opts.cluster.join(', ')} from ${link}.`]
          : [`zpl will tear down ${link}: the endpoint, security group, DNS records and zones it created (nothing it did not create).`],
        opts.yes,
      );
      await onTarget(opts.target, { ...spec, profile: opts.profile }, opts.stateDir, true, async (target) => {
        const input = { spec, ...(opts.cluster ? { removeClusters: opts.cluster } : {}) };
        const { execution } = await applyLink(target, spec, {
          follow: Boolean(opts.follow),
          json: Boolean(opts.json),
          flow: TEARDOWN_FLOW,
          input,
        });
        if (opts.follow) process.exitCode = execution.Status === 'Succeeded' ? 0 : 1;
      });
    });
}
