import { Option, type Command } from 'commander';
import { planLink } from '../../shared/plan.ts';
import type { LinkSpec } from '../../shared/spec.ts';
import { applyLink } from '../apply.ts';
import { onTarget, specOrExit } from '../exit.ts';
import { followOption, jsonOption, profileOption, stateDirOption, targetOption, type TargetOptions } from '../options.ts';
import { checkSavedPlan, planView, readSavedPlan, type SavedPlan } from '../saved-plan.ts';
import { planDeps, type Target } from '../target.ts';

/** The spec to apply: from -f, or the one a saved plan keeps (exit 2 for neither, both, or a file that is not a plan). */
function specToApply(file: string | undefined, planFile: string | undefined): { spec: LinkSpec; saved?: SavedPlan } {
  if (Boolean(file) === Boolean(planFile)) {
    console.error('zpl apply: give a link spec (-f link.yaml) or a plan saved by zpl plan --out, not both');
    process.exit(2);
  }
  if (file) return { spec: specOrExit(file) };
  const read = readSavedPlan(planFile!);
  if (!read.ok) {
    console.error(`zpl: ${read.message}`);
    process.exit(2);
  }
  return { spec: read.spec, saved: read.saved };
}

/** A saved plan is applied only while a fresh read still digests the same (StalePlanError: exit 4). */
async function holdsStill(target: Target, spec: LinkSpec, planFile: string, saved: SavedPlan): Promise<void> {
  checkSavedPlan(planFile, saved, planView(await planLink(spec, planDeps(target, spec))), target);
}

/** `zpl apply`: start (or join) the provision flow for a spec, or for exactly a saved plan's. */
export function registerApply(program: Command): void {
  program
    .command('apply')
    .description(
      'provision the link a spec (or a saved plan) describes: start (or join) the provision flow, and with --follow show each step until it ends',
    )
    .argument('[plan]', 'a plan saved by `zpl plan --out`: applied only if the world still reads as it did then (else exit 4)')
    .addOption(new Option('-f, --file <path>', 'link spec (YAML or JSON)'))
    .addOption(followOption())
    .option('--name <execution>', "execution name (default: the link's next run, or the one running for it, which this joins)")
    .addOption(jsonOption('one JSON object a line: the run started, and with --follow each step and the end'))
    .addOption(stateDirOption())
    .addOption(targetOption())
    .addOption(profileOption())
    .action(
      async (planFile: string | undefined, opts: TargetOptions & { file?: string; follow?: boolean; name?: string; json?: boolean }) => {
        const { spec, saved } = specToApply(opts.file, planFile);
        await onTarget(opts.target, { ...spec, profile: opts.profile }, opts.stateDir, true, async (target) => {
          if (saved) await holdsStill(target, spec, planFile!, saved);
          const { execution } = await applyLink(target, spec, { follow: Boolean(opts.follow), json: Boolean(opts.json), name: opts.name });
          if (opts.follow) process.exitCode = execution.Status === 'Succeeded' ? 0 : 1;
        });
      },
    );
}
