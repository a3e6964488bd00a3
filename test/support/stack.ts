import { aliyunApis, type AliyunApis } from '../../shared/aliyun/index.ts';
import { AliyunTransport, type AliyunTransportOptions } from '../../shared/aliyun/rpc.ts';
import { ZillizClient } from '../../shared/zilliz/client.ts';
import { callName } from './calls.ts';
import { DEMO, demoSeed, type Timings } from '../../local/emulators/fixtures.ts';
import { startEmulators, type Emulators } from '../../local/emulators/index.ts';
import { CATALOG_BY_PRODUCT } from '../../shared/aliyun/catalog.ts';

/** Fast retries for tests: the behaviour is the same, the waits are short. */
export const TEST_RETRY = { maxAttempts: 5, baseDelayMs: 5, maxDelayMs: 40 };

export interface TestWorld {
  emu: Emulators;
  apis: AliyunApis;
  zilliz: ZillizClient;
  transport(opts?: Partial<AliyunTransportOptions>): AliyunTransport;
}

/** The demo fixtures on a manual clock: tests move time themselves (`clock.advance`). */
export async function startTestWorld(timings: Partial<Timings> = {}): Promise<TestWorld> {
  const emu = await startEmulators({ mode: 'manual', seed: demoSeed(), timings });
  const transport = (opts: Partial<AliyunTransportOptions> = {}) =>
    new AliyunTransport({
      catalog: CATALOG_BY_PRODUCT,
      endpoint: emu.alibabaUrl,
      credentials: { accessKeyId: DEMO.accessKeyId, accessKeySecret: DEMO.accessKeySecret },
      retry: TEST_RETRY,
      readTimeoutMs: 2_000,
      ...opts,
    });
  return {
    emu,
    apis: aliyunApis(DEMO.region, transport()),
    zilliz: new ZillizClient({ apiKey: DEMO.zillizApiKey, baseUrl: emu.zillizUrl, retry: TEST_RETRY }),
    transport,
  };
}

/** The demo VPC's two zones with their vSwitches, and an ownership tag, for API-level tests. */
export const DEMO_ZONES = [
  { zoneId: 'cn-hangzhou-h', vSwitchId: 'vsw-bp1demoh000000000001' },
  { zoneId: 'cn-hangzhou-j', vSwitchId: 'vsw-bp1demoj000000000001' },
];
export const TEST_TAGS = [{ Key: 'zpl:link', Value: 'zpl-test' }];

/** The calls the emulators received for one action (`Product.Action` where two products share the name). */
export const callsTo = (w: TestWorld, action: string) => w.emu.calls.calls.filter((c) => callName(c) === action);

/** A tagged security group in the demo VPC, made through the product's ECS API. */
export async function testSecurityGroup(w: TestWorld): Promise<string> {
  const { SecurityGroupId } = await w.apis.securityGroups.create({
    vpcId: DEMO.vpcId,
    name: 'zpl-test-sg',
    description: 'test group',
    tags: TEST_TAGS,
    clientToken: 'sg-token-1',
  });
  return SecurityGroupId;
}

/** A tagged endpoint in the demo VPC to Zilliz's service (the account allowlisted first), made through the product's PrivateLink API. */
export async function testEndpoint(w: TestWorld, securityGroupId: string): Promise<string> {
  await w.zilliz.allowlistAccount(DEMO.projectId, 'ali-cn-hangzhou', DEMO.accountId);
  w.emu.clock.advance(60_000); // the allowlisting shows after a minute (DEFAULT_TIMINGS)
  const { EndpointId } = await w.apis.privateLink.createEndpoint({
    vpcId: DEMO.vpcId,
    serviceId: 'epsrv-bp1zillizhz0000001',
    securityGroupIds: [securityGroupId],
    zones: DEMO_ZONES,
    name: 'zpl-test',
    description: 'test endpoint',
    tags: TEST_TAGS,
    clientToken: 'ep-token-1',
  });
  return EndpointId;
}
