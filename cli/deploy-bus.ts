import { AliyunTransport } from '../shared/aliyun/rpc.ts';
import { busDeployPlan, deployBus, type BusDeployOptions, type BusDeployResult } from '../deploy/eventbridge.ts';

/**
 * `zpl deploy-bus`: the ticket-intake deploy step against EventBridge's control plane. The
 * endpoint is `eventbridge-console.<region>.aliyuncs.com` unless `--endpoint` /
 * `ZPL_EVENTBRIDGE_ENDPOINT` points elsewhere (tests point it at the local emulator);
 * credentials come from `ALIBABA_CLOUD_ACCESS_KEY_ID` / `_SECRET` (or the default chain).
 */
export interface DeployBusCli extends BusDeployOptions {
  endpoint?: string;
  plan?: boolean;
}

export async function runDeployBus(opts: DeployBusCli): Promise<string[]> {
  if (opts.plan) return busDeployPlan(opts);
  const transport = new AliyunTransport({ ...(opts.endpoint ? { endpoints: { eventbridge: opts.endpoint } } : {}) });
  return describe(await deployBus(transport, opts));
}

function describe(r: BusDeployResult): string[] {
  return [
    `event bus ${r.bus.name}: ${r.bus.change}`,
    `rule ${r.rule.name}: ${r.rule.change}`,
    `target ${r.target.id} → ${r.target.endpoint}: ${r.target.change}`,
  ];
}
