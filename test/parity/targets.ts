import { AliyunTransport } from '../../shared/aliyun/rpc.ts';
import { systemClock, type Clock } from '../../shared/clock.ts';
import { zillizApiBase } from '../../shared/regions.ts';
import { ZillizClient } from '../../shared/zilliz/client.ts';
import { DEMO, demoSeed } from '../../local/emulators/fixtures.ts';
import { startEmulators, type Emulators } from '../../local/emulators/index.ts';
import type { TargetClients } from './context.ts';
import { RAW_CATALOG } from './raw-catalog.ts';

export type TargetName = 'local' | 'aliyun';

export interface ParityTarget extends TargetClients {
  name: TargetName;
  /** One line for the report: where the calls went. */
  description: string;
  close(): Promise<void>;
}

/** What the real-cloud target reads from the environment, documented in the README ("Parity with the real clouds"). */
export const PARITY_ENV = {
  required: ['ALIBABA_CLOUD_ACCESS_KEY_ID', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET', 'ZPL_PARITY_REGION', 'ZPL_PARITY_VPC_ID'],
  zilliz: ['ZILLIZ_API_KEY', 'ZPL_PARITY_PROJECT_ID', 'ZPL_PARITY_CLUSTER_ID'],
  endpoint: 'ZPL_PARITY_SERVICE_ID',
  overrides: ['ZPL_ALIBABA_ENDPOINT', 'ZPL_ZILLIZ_URL'],
} as const;

/** Refused before any call: nothing is sent. */
export class ParityRefusal extends Error {}

const isLoopback = (url: string | undefined) =>
  url !== undefined && /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/.test(url);

/**
 * The local stack's emulated clouds (Alibaba gateway and Zilliz) in this process, seeded with the
 * demo account: its VPC is the sandbox, its project and cluster the Zilliz ones. With the
 * endpoint case, the account is allowlisted first, as a user's would be.
 */
export async function localTarget(opts: { endpoint: boolean }): Promise<ParityTarget> {
  const emu: Emulators = await startEmulators({ mode: 'events', seed: demoSeed() });
  const clock = emu.clock;
  const transport = new AliyunTransport({
    catalog: RAW_CATALOG,
    endpoint: emu.alibabaUrl,
    credentials: { accessKeyId: DEMO.accessKeyId, accessKeySecret: DEMO.accessKeySecret },
    clock,
    timeoutClock: clock,
  });
  const zilliz = new ZillizClient({ apiKey: DEMO.zillizApiKey, baseUrl: emu.zillizUrl, clock });
  const sandbox = {
    region: DEMO.region,
    vpcId: DEMO.vpcId,
    projectId: DEMO.projectId,
    clusterId: DEMO.clusterId,
  } as TargetClients['sandbox'];
  if (opts.endpoint) {
    await zilliz.allowlistAccount(DEMO.projectId, `ali-${DEMO.region}`, DEMO.accountId);
    // Zilliz's service shows to the account a minute after allowlisting (DEFAULT_TIMINGS.serviceVisibleMs).
    await clock.sleep(60_000);
    const visible = (await transport.call('Privatelink', 'ListVpcEndpointServicesByEndUser', DEMO.region, { RegionId: DEMO.region })) as {
      Services: { ServiceId: string }[];
    };
    sandbox.serviceId = visible.Services[0]?.ServiceId;
  }
  return {
    name: 'local',
    description: `the local stack's emulators in this process (${emu.alibabaUrl}, ${emu.zillizUrl})`,
    transport,
    zilliz,
    sandbox,
    clock,
    close: () => emu.close(),
  };
}

/**
 * The real clouds, from the environment only: explicit keys (never a profile or instance role
 * found by the default chain), the sandbox VPC and region, and the endpoint overrides every
 * real-cloud path honours. Refused in CI unless every endpoint is overridden to loopback.
 */
export function aliyunTarget(env: NodeJS.ProcessEnv, opts: { endpoint: boolean }, clock: Clock = systemClock): ParityTarget {
  const read = (name: string) => env[name] || undefined;
  const missing: string[] = PARITY_ENV.required.filter((name) => !read(name));
  if (opts.endpoint && !read(PARITY_ENV.endpoint)) missing.push(PARITY_ENV.endpoint);
  if (missing.length > 0)
    throw new ParityRefusal(
      `--target aliyun needs ${missing.join(', ')} (explicit credentials and a sandbox VPC; see the README, "Parity with the real clouds")`,
    );
  const region = read('ZPL_PARITY_REGION')!;
  const alibabaEndpoint = read('ZPL_ALIBABA_ENDPOINT');
  const zillizUrl = read('ZPL_ZILLIZ_URL') ?? zillizApiBase(region);
  const zillizVars = PARITY_ENV.zilliz.filter((name) => read(name));
  if (read('CI') && !(isLoopback(alibabaEndpoint) && (zillizVars.length === 0 || isLoopback(zillizUrl))))
    throw new ParityRefusal('--target aliyun never runs in CI (CI is set): the real clouds are for a person with a sandbox account');
  if (zillizVars.length > 0 && zillizVars.length < PARITY_ENV.zilliz.length)
    throw new ParityRefusal(`the Zilliz cases need all of ${PARITY_ENV.zilliz.join(', ')} (or none of them)`);
  const transport = new AliyunTransport({
    catalog: RAW_CATALOG,
    endpoint: alibabaEndpoint,
    credentials: {
      accessKeyId: read('ALIBABA_CLOUD_ACCESS_KEY_ID')!,
      accessKeySecret: read('ALIBABA_CLOUD_ACCESS_KEY_SECRET')!,
      securityToken: read('ALIBABA_CLOUD_SECURITY_TOKEN'),
    },
    clock,
  });
  const zilliz = zillizVars.length > 0 ? new ZillizClient({ apiKey: read('ZILLIZ_API_KEY')!, baseUrl: zillizUrl, clock }) : undefined;
  return {
    name: 'aliyun',
    description: `Alibaba Cloud ${region} (${alibabaEndpoint ?? "each product's public endpoint"}), VPC ${read('ZPL_PARITY_VPC_ID')}${zilliz ? `, Zilliz ${zillizUrl}` : ''}`,
    transport,
    zilliz,
    sandbox: {
      region,
      vpcId: read('ZPL_PARITY_VPC_ID')!,
      projectId: read('ZPL_PARITY_PROJECT_ID'),
      clusterId: read('ZPL_PARITY_CLUSTER_ID'),
      serviceId: read(PARITY_ENV.endpoint),
    },
    clock,
    close: async () => undefined,
  };
}
