import { Option, type Command } from 'commander';
import { DEFAULT_S, deploy, deployPlan } from '../deploy.ts';
import { fail } from '../exit.ts';
import { profileOption, targetChecks, templateOption } from '../options.ts';
import { deployTarget, deployVars } from '../../deploy/deploy-vars.ts';

/** `zpl deploy`: build, RAM roles, `s deploy`, event bus, in that order (cli/deploy.ts); `--plan` prints them. */
export function registerDeploy(program: Command): void {
  const command = program
    .command('deploy')
    .description(
      "deploy everything for s.yaml's vars: build, the RAM roles and policies, `s deploy` (functions, triggers, flows), the event bus and its rule",
    )
    .addOption(templateOption())
    .addOption(
      new Option('--endpoint <url>', 'one base URL for RAM and EventBridge (default: their public endpoints)').default(
        process.env.ZPL_ALIBABA_ENDPOINT,
      ),
    )
    .addOption(new Option('--s <command>', 'the Serverless Devs CLI to run').default(process.env.ZPL_S ?? DEFAULT_S))
    .addOption(profileOption())
    .option('--plan', 'print the steps, build and call nothing');
  for (const o of targetChecks()) command.addOption(o);
  command.action(
    async (opts: {
      template: string;
      endpoint?: string;
      s: string;
      plan?: boolean;
      region?: string;
      accountId?: string;
      eventBus?: string;
      profile?: string;
    }) => {
      const target = await Promise.resolve()
        .then(() => deployTarget(deployVars(opts.template), opts, opts.template))
        .catch(fail);
      const options = { template: opts.template, target, endpoint: opts.endpoint, s: opts.s };
      if (opts.plan) {
        for (const line of deployPlan(options)) console.log(line);
        return;
      }
      await deploy({ ...options, profile: opts.profile, log: (line) => console.log(line) }).catch(fail);
    },
  );
}
