import { Option, type Command } from 'commander';
import { agreeWithVars, deployVars } from '../../deploy/deploy-vars.ts';
import { runDeployBus } from '../deploy-bus.ts';
import { fail } from '../exit.ts';
import { eventBridgeEndpointOption, profileOption, templateOption } from '../options.ts';

/**
 * `zpl deploy-bus`: the ticket-intake bus and rule, after `s deploy`, for s.yaml's vars (region,
 * bus, account) — the ones `s deploy` made zpl-events with. An option or its variable
 * (ZPL_REGION, ALIBABA_CLOUD_ACCOUNT_ID, ZPL_EVENT_BUS) fills in what s.yaml leaves empty and may
 * not contradict it; exit 2 without an account ID.
 */
export function registerDeployBus(program: Command): void {
  program
    .command('deploy-bus')
    .description(
      'create (or reuse) the EventBridge bus for ticket events and outcomes, and the rule sending zpl.link.requested to zpl-events; run after `s deploy`',
    )
    .addOption(templateOption())
    .addOption(new Option('--region <region>', "Alibaba Cloud region (s.yaml's vars.region)").env('ZPL_REGION'))
    .addOption(
      new Option('--account-id <id>', "account ID (16 digits) that owns zpl-events (s.yaml's vars.accountId)").env(
        'ALIBABA_CLOUD_ACCOUNT_ID',
      ),
    )
    .addOption(new Option('--event-bus <name>', "the bus (s.yaml's vars.eventBus)").env('ZPL_EVENT_BUS'))
    .addOption(eventBridgeEndpointOption())
    .addOption(profileOption())
    .option('--plan', 'print what the step does, call nothing')
    .action(
      async (opts: {
        template: string;
        region?: string;
        accountId?: string;
        eventBus?: string;
        endpoint?: string;
        plan?: boolean;
        profile?: string;
      }) => {
        const target = await Promise.resolve()
          .then(() => agreeWithVars(deployVars(opts.template), opts, opts.template))
          .catch(fail);
        if (!target.accountId || !/^\d{16}$/.test(target.accountId)) {
          console.error(
            `deploy-bus needs an account ID of 16 digits: vars.accountId in ${opts.template}, --account-id or ALIBABA_CLOUD_ACCOUNT_ID`,
          );
          process.exit(2);
        }
        const lines = await runDeployBus({
          region: target.region,
          accountId: target.accountId,
          eventBus: target.eventBus,
          endpoint: opts.endpoint,
          plan: opts.plan,
          profile: opts.profile,
        }).catch(fail);
        for (const line of lines) console.log(`  ${line}`);
      },
    );
}
