import { AliyunTransport } from '../shared/aliyun/rpc.ts';
import { defaultChain } from '../shared/credentials/chain.ts';
import { chainSettings } from '../shared/credentials/settings.ts';
import { busDeployPlan, deployBus, type BusDeployOptions, type BusDeployResult } from '../deploy/eventbridge.ts';

/**
 * `zpl deploy-bus`: the ticket-intake deploy step against EventBridge's control plane. The
 * endpoint is `eventbridge-console.<region>.aliyuncs.com` unless `--endpoint` /
 * `ZPL_EVENTBRIDGE_ENDPOINT` points elsewhere (tests point it at the local emulator);
 * credentials come from the default chain (`ALIBABA_CLOUD_ACCESS_KEY_ID` / `_SECRET` first), or
 * the profile `--profile` names.
 */
export interface DeployBusCli extends BusDeployOptions {
  endpoint?: string;
  plan?: boolean;
  profile?: string;
}

export async function runDeployBus(opts: DeployBusCli): Promise<string[]> {
  if (opts.plan) return busDeployPlan(opts);
  const transport = new AliyunTransport({
    credentials: defaultChain(chainSettings({ region: opts.region, profile: opts.profile })),
    ...(opts.endpoint ? { endpoints: { eventbridge: opts.endpoint } } : {}),
  });
  return describe(await deployBus(transport, opts));
}

function describe(r: BusDeployResult): string[] {
  return [
    `event bus ${r.bus.name}: ${r.bus.change}`,
    `rule ${r.rule.name}: ${r.rule.change}`,
    `target ${r.target.id} → ${r.target.endpoint}: ${r.target.change}`,
  ];
}
