import type { Command } from 'commander';
import { planLink } from '../../shared/plan.ts';
import { onTarget, specOrExit } from '../exit.ts';
import { jsonOption, profileOption, specFileOption, stateDirOption, targetOption, type TargetOptions } from '../options.ts';
import { planView, writeSavedPlan } from '../saved-plan.ts';
import { planDeps } from '../target.ts';

const SIGN = { create: '+', update: '~', remove: '-', reuse: '=', keep: '=', conflict: '!' } as const;

/**
 * `zpl plan`: what apply would do, from reads only. Exit 2 when it cannot work or conflicts; with
 * --detailed-exitcode, Terraform's codes instead: 0 no changes, 1 an error (a spec that cannot
 * work or conflicts included), 2 changes
 * (https://developer.hashicorp.com/terraform/cli/commands/plan#detailed-exitcode).
 */
export function registerPlan(program: Command): void {
  program
    .command('plan')
    .description('show what apply would create, reuse or change, from reads only (nothing is changed)')
    .addOption(specFileOption())
    .option('-o, --out <file>', 'save the plan for `zpl apply <file>` (also spelled -out)')
    .option('--detailed-exitcode', 'exit 0 when nothing would change, 2 when something would, 1 on errors (as Terraform)')
    .addOption(jsonOption())
    .addOption(stateDirOption())
    .addOption(targetOption())
    .addOption(profileOption())
    .action(async (opts: TargetOptions & { file: string; out?: string; detailedExitcode?: boolean; json?: boolean }) => {
      const spec = specOrExit(opts.file);
      await onTarget(opts.target, { ...spec, profile: opts.profile }, opts.stateDir, false, async (target) => {
        const plan = planView(await planLink(spec, planDeps(target, spec)));
        const blocked = plan.problems.length > 0 || plan.items.some((i) => i.action === 'conflict');
        if (opts.json) console.log(JSON.stringify(plan, null, 2));
        else {
          console.log(`plan for link ${plan.linkId} (${spec.projectId}, ${spec.region}, ${spec.vpcId}) on ${target.description}`);
          for (const p of plan.problems) console.log(`  ✗ cannot work: ${p}`);
          for (const i of plan.items) {
            console.log(`  ${SIGN[i.action]} ${i.action.padEnd(8)} ${i.resource.padEnd(20)} ${i.detail}`);
            if (i.risk) console.log(`  ${' '.repeat(32)} ⚠ ${i.risk}`);
          }
          console.log(
            plan.problems.length
              ? 'The spec cannot work as it is; apply would stop at validation.'
              : `${plan.changes} change(s); apply would make them.`,
          );
        }
        if (opts.out) {
          // As Terraform, a plan that cannot be applied is not saved.
          if (blocked) console.error(`zpl: the plan was not saved to ${opts.out}: it cannot be applied as it is`);
          else {
            writeSavedPlan(opts.out, spec, plan, target);
            if (!opts.json) console.log(`Saved the plan to ${opts.out}; apply exactly it with: zpl apply ${opts.out}`);
          }
        }
        if (opts.detailedExitcode) process.exitCode = blocked ? 1 : plan.changes > 0 ? 2 : 0;
        else process.exitCode = blocked ? 2 : 0;
      });
    });
}
