import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO, demoSeed, type SeedInput } from '../../local/emulators/fixtures.ts';
import type { Stack } from '../../local/stack.ts';
import { demoSpec } from './provision.ts';

/**
 * A customer's account beside the platform's (the demo account): a role trusting the platform
 * account with an ExternalId, another without one, and a VPC of its own. The platform account
 * holds the functions' key (its step role session) and an operator's RAM user key.
 */
export const CUSTOMER = '2234567890123456';
export const ROLE = `acs:ram::${CUSTOMER}:role/zpl-link`;
export const OTHER_ROLE = `acs:ram::${CUSTOMER}:role/zpl-other`;
export const EXTERNAL_ID = 'tenant-42';
export const CUSTOMER_VPC = 'vpc-bp1customer0000000001';
export const CUSTOMER_CIDR = '10.8.0.0/16';
// The functions' key: the platform's step role session, as FC hands it (an account's own key may not assume roles).
export const STEPS_KEY = { accessKeyId: 'STS.NPlatformStepsRole01', accessKeySecret: 'steps-session-secret' };
// A platform operator's RAM user key, in a profile of ~/.aliyun/config.json.
export const OPS_KEY = { accessKeyId: 'LTAI5tPlatformOps00001', accessKeySecret: 'ops-secret' };

export function customerSeed(): SeedInput {
  const s = demoSeed();
  s.accounts![0]!.accessKeys.push(
    { ...STEPS_KEY, role: { roleName: 'zpl-steps', sessionName: 'fc-steps' } },
    { ...OPS_KEY, ramUser: 'ops' },
  );
  s.accounts!.push({
    accountId: CUSTOMER,
    accessKeys: [{ accessKeyId: 'LTAI5tCustomerRoot0001', accessKeySecret: 'customer-secret' }],
    roles: [
      { roleName: 'zpl-link', trustedAccounts: [DEMO.accountId], externalId: EXTERNAL_ID },
      { roleName: 'zpl-other', trustedAccounts: [DEMO.accountId] },
    ],
    vpcs: [
      {
        vpcId: CUSTOMER_VPC,
        regionId: DEMO.region,
        cidrBlock: CUSTOMER_CIDR,
        vSwitches: [
          { vSwitchId: 'vsw-bp1customerh00000001', zoneId: 'cn-hangzhou-h', cidrBlock: '10.8.1.0/24' },
          { vSwitchId: 'vsw-bp1customerj00000001', zoneId: 'cn-hangzhou-j', cidrBlock: '10.8.2.0/24' },
        ],
      },
    ],
  });
  return s;
}

/** The demo link in the customer's VPC, provisioned as `assumeRole` (default: the role with its ExternalId). */
export const customerSpec = (assumeRole: Record<string, unknown> = { arn: ROLE, externalId: EXTERNAL_ID }) =>
  demoSpec({ accountId: CUSTOMER, vpcId: CUSTOMER_VPC, assumeRole });

/** A home whose ~/.aliyun/config.json holds the operator's key as profile `ops` (its current profile, `root`, is absent). */
export function opsProfileHome(): string {
  const home = mkdtempSync(join(tmpdir(), 'zpl-home-'));
  mkdirSync(join(home, '.aliyun'));
  writeFileSync(
    join(home, '.aliyun', 'config.json'),
    JSON.stringify({
      current: 'root',
      profiles: [{ name: 'ops', mode: 'AK', access_key_id: OPS_KEY.accessKeyId, access_key_secret: OPS_KEY.accessKeySecret }],
    }),
  );
  return home;
}

/** The account a key belongs to, as the emulated world holds it. */
export const accountOf = (stack: Stack, accessKeyId: string | undefined) =>
  accessKeyId ? stack.emulators.world.accessKeys.get(accessKeyId)?.accountId : undefined;

/** What an account holds: its security groups, endpoints and zones. */
export function owned(stack: Stack, accountId: string) {
  const w = stack.emulators.world;
  return {
    securityGroups: [...w.securityGroups.values()].filter((g) => g.accountId === accountId).length,
    endpoints: [...w.endpoints.values()].filter((e) => e.accountId === accountId).length,
    zones: [...w.zones.values()].filter((z) => z.accountId === accountId).length,
  };
}
