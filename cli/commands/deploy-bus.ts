import type { Command } from 'commander';
import { runDeployBus } from '../deploy-bus.ts';
import { fail } from '../exit.ts';
import { accountIdOption, eventBridgeEndpointOption, eventBusOption, profileOption, regionOption } from '../options.ts';

/** `zpl deploy-bus`: the ticket-intake bus and rule, after `s deploy`; exit 2 without an account ID. */
export function registerDeployBus(program: Command): void {
  program
    .command('deploy-bus')
    .description(
      'create (or reuse) the EventBridge bus for ticket events and outcomes, and the rule sending zpl.link.requested to zpl-events; run after `s deploy`',
    )
    .addOption(regionOption('Alibaba Cloud region'))
    .addOption(accountIdOption('Alibaba Cloud account ID (16 digits) that owns zpl-events'))
    .addOption(eventBusOption('the bus (s.yaml vars.eventBus)'))
    .addOption(eventBridgeEndpointOption())
    .addOption(profileOption())
    .option('--plan', 'print what the step does, call nothing')
    .action(
      async (opts: { region: string; accountId?: string; eventBus?: string; endpoint?: string; plan?: boolean; profile?: string }) => {
        if (!opts.accountId || !/^\d{16}$/.test(opts.accountId)) {
          console.error('deploy-bus needs --account-id <16 digits> (or ALIBABA_CLOUD_ACCOUNT_ID)');
          process.exit(2);
        }
        const lines = await runDeployBus({
          region: opts.region,
          accountId: opts.accountId,
          eventBus: opts.eventBus,
          endpoint: opts.endpoint,
          plan: opts.plan,
          profile: opts.profile,
        }).catch(fail);
        for (const line of lines) console.log(`  ${line}`);
      },
    );
}
