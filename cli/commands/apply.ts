import type { Command } from 'commander';
import { applyLink } from '../apply.ts';
import { onTarget, specOrExit } from '../exit.ts';
import { followOption, jsonOption, profileOption, specFileOption, stateDirOption, targetOption, type TargetOptions } from '../options.ts';

/** `zpl apply`: start (or join) the provision flow for a spec. */
export function registerApply(program: Command): void {
  program
    .command('apply')
    .description('provision the link a spec describes: start (or join) the provision flow, and with --follow show each step until it ends')
    .addOption(specFileOption())
    .addOption(followOption())
    .option('--name <execution>', "execution name (default: the link's next run, or the one running for it, which this joins)")
    .addOption(jsonOption())
    .addOption(stateDirOption())
    .addOption(targetOption())
    .addOption(profileOption())
    .action(async (opts: TargetOptions & { file: string; follow?: boolean; name?: string; json?: boolean }) => {
      const spec = specOrExit(opts.file);
      await onTarget(opts.target, { ...spec, profile: opts.profile }, opts.stateDir, true, async (target) => {
        const { execution } = await applyLink(target, spec, { follow: Boolean(opts.follow), json: Boolean(opts.json), name: opts.name });
        if (opts.follow) process.exitCode = execution.Status === 'Succeeded' ? 0 : 1;
      });
    });
}
