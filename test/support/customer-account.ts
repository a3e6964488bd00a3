import { DEMO, demoSeed } from '../../local/emulators/fixtures.ts';
import type { Stack } from '../../local/stack.ts';
import { demoSpec } from './provision.ts';

/**
 * A customer's account beside the platform's (the demo account): the customer's roles the
 * platform may take on, and a VPC of the customer's. The platform's functions sign with its step
 * role's session, as FC hands it (an account's own key may not assume roles).
 */
export const CUSTOMER = '2234567890123456';
export const ROLE = `acs:ram::${CUSTOMER}:role/zpl-link`;
export const OTHER_ROLE = `acs:ram::${CUSTOMER}:role/zpl-other`;
export const EXTERNAL_ID = 'tenant-42';
export const CUSTOMER_VPC = 'vpc-bp1customer0000000001';
export const CUSTOMER_CIDR = '10.8.0.0/16';
// The functions' key: the platform's step role session.
export const STEPS_KEY = { accessKeyId: 'STS.NPlatformStepsRole01', accessKeySecret: 'steps-session-secret' };
// A platform operator's RAM user key, in a profile of ~/.aliyun/config.json.
export const OPS_KEY = { accessKeyId: 'LTAI5tPlatformOps00001', accessKeySecret: 'ops-secret' };

export function customerSeed() {
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

/** The demo link in the customer's VPC, provisioned as the customer's role. */
export const customerSpec = (assumeRole: Record<string, unknown> = { arn: ROLE, externalId: EXTERNAL_ID }) =>
  demoSpec({ accountId: CUSTOMER, vpcId: CUSTOMER_VPC, assumeRole });

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
