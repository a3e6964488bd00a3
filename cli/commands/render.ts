import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { fail } from '../exit.ts';
import { writeRenderedFlows } from '../rendered-flows.ts';
import { eventBusOption, outOption } from '../options.ts';

/** `zpl render`: the flows as CloudFlow deploys them; the event bus reaches them as in `zpl build`. */
export function registerRender(program: Command): void {
  program
    .command('render')
    .description('write the flows with their function ARNs filled in for an account and region (what CloudFlow deploys)')
    .addOption(new Option('--region <region>', 'Alibaba Cloud region, e.g. cn-hangzhou').makeOptionMandatory())
    .addOption(new Option('--account-id <id>', 'Alibaba Cloud account ID (16 digits)').makeOptionMandatory())
    .addOption(eventBusOption('EventBridge bus for outcome events (s.yaml vars.eventBus)'))
    .addOption(outOption(join('.zpl', 'render')))
    .action((opts: { region: string; accountId: string; eventBus?: string; out: string }) => {
      try {
        writeRenderedFlows(opts.out, { region: opts.region, accountId: opts.accountId, eventBus: opts.eventBus }, (file) =>
          console.log(file),
        );
      } catch (e) {
        void fail(e);
      }
    });
}
