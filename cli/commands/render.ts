import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { deployVars } from '../../deploy/deploy-vars.ts';
import { fail } from '../exit.ts';
import { writeRenderedFlows } from '../rendered-flows.ts';
import { outOption, templateOption } from '../options.ts';

/**
 * `zpl render`: the flows as CloudFlow deploys them, by default for s.yaml's vars (region,
 * account, bus) as `zpl build` renders them. Unlike build it deploys nothing, so an option may show
 * them for another region, account or bus (the bus: `--event-bus`, else ZPL_EVENT_BUS, else s.yaml's).
 */
export function registerRender(program: Command): void {
  program
    .command('render')
    .description('write the flows with their function ARNs filled in for an account and region (what CloudFlow deploys)')
    .addOption(templateOption())
    .addOption(new Option('--region <region>', "Alibaba Cloud region, e.g. cn-hangzhou (default: s.yaml's vars.region)"))
    .addOption(new Option('--account-id <id>', "Alibaba Cloud account ID, 16 digits (default: s.yaml's vars.accountId)"))
    .addOption(new Option('--event-bus <name>', "EventBridge bus for outcome events (default: ZPL_EVENT_BUS, else s.yaml's vars.eventBus)"))
    .addOption(outOption(join('.zpl', 'render')))
    .action((opts: { template: string; region?: string; accountId?: string; eventBus?: string; out: string }) => {
      try {
        const vars = deployVars(opts.template);
        const accountId = opts.accountId ?? vars.accountId;
        if (!accountId) throw new Error(`no account ID: pass --account-id or set vars.accountId in ${opts.template}`);
        const target = {
          region: opts.region ?? vars.region,
          accountId,
          eventBus: opts.eventBus ?? process.env.ZPL_EVENT_BUS ?? vars.eventBus,
        };
        writeRenderedFlows(opts.out, target, (file) => console.log(file));
      } catch (e) {
        void fail(e);
      }
    });
}
