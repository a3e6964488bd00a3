import type { Command } from 'commander';
import { CHANGES, planLink } from '../../shared/plan.ts';
import { onTarget, specOrExit } from '../exit.ts';
import { jsonOption, profileOption, specFileOption, stateDirOption, targetOption } from '../options.ts';
import { linkId } from '../../shared/derived.ts';

/** `zpl plan`: what apply would do, from reads only; exit 2 when it cannot work or conflicts. */
export function registerPlan(program: Command): void {
  program
    .command('plan')
    .description('show what apply would create, reuse or change, from reads only (nothing is changed)')
    .addOption(specFileOption())
    .addOption(jsonOption())
    .addOption(stateDirOption())
    .addOption(targetOption())
    .addOption(profileOption())
    .action(async (opts: { file: string; json?: boolean; stateDir: string; target: string; profile?: string }) => {
      const spec = specOrExit(opts.file);
      await onTarget(opts.target, { ...spec, profile: opts.profile }, opts.stateDir, false, async (target) => {
        // A spec with assumeRole is read as that role, in its account, as its run would act.
        const plan = await planLink(spec, target.deps(spec.assumeRole && { ...spec.assumeRole, execution: `zpl-plan-${linkId(spec)}` }));
        if (opts.json) console.log(JSON.stringify(plan, null, 2));
        else {
          console.log(`plan for link ${plan.linkId} (${spec.projectId}, ${spec.region}, ${spec.vpcId}) on ${target.description}`);
          for (const p of plan.problems) console.log(`  ✗ cannot work: ${p}`);
          for (const i of plan.items) {
            console.log(
              `  ${{ create: '+', update: '~', remove: '-', reuse: '=', keep: '=', conflict: '!' }[i.action]} ${i.action.padEnd(8)} ${i.resource.padEnd(20)} ${i.detail}`,
            );
            if (i.risk) console.log(`  ${' '.repeat(32)} ⚠ ${i.risk}`);
          }
          const changes = plan.items.filter((i) => CHANGES.includes(i.action)).length;
          console.log(
            plan.problems.length
              ? 'The spec cannot work as it is; apply would stop at validation.'
              : `${changes} change(s); apply would make them.`,
          );
        }
        process.exitCode = plan.problems.length || plan.items.some((i) => i.action === 'conflict') ? 2 : 0;
      });
    });
}
