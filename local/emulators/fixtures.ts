import * as z from 'zod';

/**
 * What the emulated clouds hold before anything runs: Alibaba accounts with keys and VPCs,
 * Zilliz projects with clusters and API keys, and anything that already exists (zones,
 * records, bindings, security groups). Seeded at start or through the admin API.
 */
const vSwitch = z.object({ vSwitchId: z.string(), zoneId: z.string(), cidrBlock: z.string(), availableIps: z.number().int().default(250) });

export const seedSchema = z.object({
  accounts: z
    .array(
      z.object({
        accountId: z.string(),
        /**
         * Whether AliyunServiceRoleForPrivatelink exists: a fresh account lacks it until PrivateLink
         * is activated in the console or ram:CreateServiceLinkedRole creates it.
         */
        privateLinkServiceLinkedRole: z.boolean().default(true),
        /** Whether PrivateLink is activated (CheckProductOpen); a fresh account has not activated it. */
        privateLinkOpened: z.boolean().default(true),
        /** PrivateZone's service status (DescribeUserServiceStatus; official SDK pvtz20180101). */
        privateZoneStatus: z.enum(['CLOSED', 'OPENED', 'IN_DEBT', 'IN_DEBT_OVER_DUE']).default('OPENED'),
        /**
         * The account's keys: its own (the default), a RAM user's (`ramUser`), or a role session's as
         * AssumeRole hands it out (`role`; the key then comes with a SecurityToken). GetCallerIdentity
         * answers which.
         */
        accessKeys: z
          .array(
            z.object({
              accessKeyId: z.string(),
              accessKeySecret: z.string(),
              ramUser: z.string().optional(),
              role: z.object({ roleName: z.string(), sessionName: z.string() }).optional(),
              /** RAM actions this identity's policies do not allow (`privatelink:CreateVpcEndpoint`): answered as RAM denies (alibaba/ram-denial.ts). */
              deny: z.array(z.string().regex(/^[a-z]+:[A-Za-z]+$/)).default([]),
            }),
          )
          .min(1),
        /**
         * RAM roles (AssumeRole, AssumeRoleWithOIDC, an ECS instance's role): the accounts and OIDC
         * providers (ARNs) their trust policy lets take them on, the `sts:ExternalId` it requires,
         * MaxSessionDuration (RAM's default 3600 s).
         */
        roles: z
          .array(
            z.object({
              roleName: z.string(),
              trustedAccounts: z.array(z.string()).default([]),
              externalId: z.string().optional(),
              oidcProviders: z.array(z.string()).default([]),
              maxSessionDuration: z.number().int().default(3600),
            }),
          )
          .default([]),
        /** RAM OIDC identity providers: the issuer URL a token must name and the client IDs (audiences) accepted. */
        oidcProviders: z.array(z.object({ name: z.string(), issuerUrl: z.string(), clientIds: z.array(z.string()).min(1) })).default([]),
        vpcs: z
          .array(
            z.object({
              vpcId: z.string(),
              regionId: z.string(),
              cidrBlock: z.string(),
              secondaryCidrBlocks: z.array(z.string()).default([]),
              vSwitches: z.array(vSwitch).default([]),
              /** EDS: a cloud-desktop workspace VPC, bound to zones with `VpcType: EDS` only. */
              vpcType: z.enum(['STANDARD', 'EDS']).default('STANDARD'),
            }),
          )
          .default([]),
        securityGroups: z
          .array(z.object({ securityGroupId: z.string(), regionId: z.string(), vpcId: z.string(), name: z.string().default('') }))
          .default([]),
        zones: z
          .array(
            z.object({
              zoneName: z.string(),
              proxyPattern: z.enum(['ZONE', 'RECORD']).default('ZONE'),
              records: z
                .array(
                  z.object({
                    rr: z.string(),
                    type: z.string(),
                    value: z.string(),
                    ttl: z.number().default(60),
                    remark: z.string().optional(),
                  }),
                )
                .default([]),
              remark: z.string().optional(),
              /** A binding's type and owner default to the seeded VPC's (a VPC of another account: a cross-account binding). */
              bindings: z
                .array(
                  z.object({
                    vpcId: z.string(),
                    regionId: z.string(),
                    vpcType: z.enum(['STANDARD', 'EDS']).optional(),
                    vpcUserId: z.string().optional(),
                  }),
                )
                .default([]),
            }),
          )
          .default([]),
      }),
    )
    .default([]),
  zilliz: z
    .object({
      apiKeys: z.array(z.object({ apiKey: z.string(), projectIds: z.array(z.string()) })).default([]),
      projects: z
        .array(
          z.object({
            projectId: z.string(),
            /** How Zilliz's review of a registered endpoint ends (after `acceptMs`). */
            review: z.enum(['accept', 'reject']).default('accept'),
            /**
             * The `endpointStatus` words listEndpoints answers with. Zilliz documents none (`accepted`
             * appears only in its Terraform provider's mock) and fields may be null while pending, so
             * the default is deliberately not `accepted`: code waiting for that literal never passes.
             */
            endpointStatusWords: z
              .object({ pending: z.string().nullable(), accepted: z.string().nullable(), rejected: z.string().nullable() })
              .default({ pending: null, accepted: 'Approved', rejected: 'rejected' }),
            /**
             * How Zilliz answers allowlisting an account it already allowlisted (undocumented): success
             * by default, or this error envelope (the China site may word it in Chinese).
             */
            allowlistRepeat: z.object({ code: z.number().int(), message: z.string() }).optional(),
            clusters: z
              .array(
                z.object({
                  clusterId: z.string(),
                  regionId: z.string(),
                  /** Free | Serverless | Standard | Enterprise | BusinessCritical (the Terraform provider's plan names). */
                  plan: z.string().default('Enterprise'),
                  status: z.string().default('RUNNING'),
                  port: z.number().int().default(19530),
                  /**
                   * The hostname Zilliz assigns once a private link is connected (describe cluster's
                   * `privateLinkAddress` is "" until then). Default: world.ts defaultPrivateLinkHost.
                   */
                  privateLinkHost: z.string().optional(),
                }),
              )
              .default([]),
          }),
        )
        .default([]),
      /** Zilliz's endpoint service per region, in the zones it supports. */
      endpointServices: z
        .array(
          z.object({
            regionId: z.string(),
            serviceId: z.string(),
            zones: z.array(z.string()),
            providerAccountId: z.string().default('1000000000000000'),
            /** Which Alibaba identifier Zilliz's `endpointService` carries (undocumented: either may come). */
            reportedAs: z.enum(['serviceName', 'serviceId']).default('serviceName'),
          }),
        )
        .default([]),
    })
    .default({ apiKeys: [], projects: [], endpointServices: [] }),
  /** "Public" DNS answers for names outside private zones (the recursive proxy never forwards). */
  publicDns: z.array(z.object({ name: z.string(), type: z.enum(['A', 'CNAME']), value: z.string() })).default([]),
});

export type Seed = z.output<typeof seedSchema>;
export type SeedInput = z.input<typeof seedSchema>;

/** Cloud-side durations, in emulated milliseconds. */
export interface Timings {
  /** Allowlist → the endpoint service is visible to the account. */
  serviceVisibleMs: number;
  /** CreateVpcEndpoint → EndpointStatus Active (zones reach Wait). */
  endpointActiveMs: number;
  /** Zilliz registration → Zilliz accepts the connection. */
  acceptMs: number;
  /** Acceptance → ConnectionStatus Connected. */
  connectMs: number;
  /** Add/remove zone and delete: how long the endpoint stays Pending/Deleting. */
  changeMs: number;
  /** After a zone's last VPC binding is removed, how long DeleteZone still answers `Zone.VpcExists`. */
  zoneUnbindSettleMs: number;
}

/** What a product model reads its life cycles from: the clock, and the timings (the admin API may change them). */
export interface Timeline {
  now(): number;
  readonly timings: Timings;
}

/** The reference scenario of the benchmark: service visible after 60 s, Active after 120 s, accepted 300 s after registration. */
export const DEFAULT_TIMINGS: Timings = {
  serviceVisibleMs: 60_000,
  endpointActiveMs: 120_000,
  acceptMs: 300_000,
  connectMs: 10_000,
  changeMs: 30_000,
  zoneUnbindSettleMs: 10_000,
};

/** The embedded default: one account with a VPC in two cn-hangzhou zones, one Zilliz project with a Dedicated cluster. */
export const DEMO = {
  accountId: '1234567890123456',
  accessKeyId: 'LTAI5tDemoKey0000000001',
  // A throwaway key for the local emulator only; it guards nothing.
  accessKeySecret: 'demo-secret-for-the-local-emulator',
  zillizApiKey: 'demo-zilliz-api-key-for-the-local-emulator',
  projectId: 'proj-4a1b2c3d4e5f6a7b8c9d',
  clusterId: 'in01-0123456789abcdef',
  secondClusterId: 'in01-fedcba9876543210',
  vpcId: 'vpc-bp1demo0000000000001',
  region: 'cn-hangzhou',
} as const;

/** The demo link spec as a user writes it (examples/link.yaml): tests vary it, the bench provisions it. */
export const demoLinkSpec = () => ({
  projectId: DEMO.projectId,
  region: DEMO.region,
  accountId: DEMO.accountId,
  vpcId: DEMO.vpcId,
  clusters: [DEMO.clusterId] as string[],
  zones: [{ zoneId: 'cn-hangzhou-h' }, { zoneId: 'cn-hangzhou-j' }] as { zoneId: string; vSwitchId?: string }[],
});

export function demoSeed(): SeedInput {
  return {
    accounts: [
      {
        accountId: DEMO.accountId,
        accessKeys: [{ accessKeyId: DEMO.accessKeyId, accessKeySecret: DEMO.accessKeySecret }],
        vpcs: [
          {
            vpcId: DEMO.vpcId,
            regionId: DEMO.region,
            cidrBlock: '10.0.0.0/16',
            secondaryCidrBlocks: [],
            vSwitches: [
              { vSwitchId: 'vsw-bp1demoh000000000001', zoneId: 'cn-hangzhou-h', cidrBlock: '10.0.1.0/24' },
              { vSwitchId: 'vsw-bp1demoj000000000001', zoneId: 'cn-hangzhou-j', cidrBlock: '10.0.2.0/24' },
            ],
          },
        ],
      },
    ],
    zilliz: {
      apiKeys: [{ apiKey: DEMO.zillizApiKey, projectIds: [DEMO.projectId] }],
      projects: [
        {
          projectId: DEMO.projectId,
          clusters: [
            { clusterId: DEMO.clusterId, regionId: `ali-${DEMO.region}` },
            { clusterId: DEMO.secondClusterId, regionId: `ali-${DEMO.region}` },
          ],
        },
      ],
      endpointServices: [
        { regionId: 'cn-hangzhou', serviceId: 'epsrv-bp1zillizhz0000001', zones: ['cn-hangzhou-h', 'cn-hangzhou-j', 'cn-hangzhou-k'] },
        { regionId: 'cn-beijing', serviceId: 'epsrv-2zezillizbj0000001', zones: ['cn-beijing-g', 'cn-beijing-h', 'cn-beijing-i'] },
        { regionId: 'cn-shenzhen', serviceId: 'epsrv-wz9zillizsz0000001', zones: ['cn-shenzhen-d', 'cn-shenzhen-e', 'cn-shenzhen-f'] },
        { regionId: 'cn-shanghai', serviceId: 'epsrv-uf6zillizsh0000001', zones: ['cn-shanghai-l', 'cn-shanghai-m', 'cn-shanghai-n'] },
        // Zilliz's newer Alibaba regions (zdoc_cn guide: 美国（弗吉尼亚）A/B, 新加坡 A/B/C).
        { regionId: 'us-east-1', serviceId: 'epsrv-0xizillizva0000001', zones: ['us-east-1a', 'us-east-1b'] },
        {
          regionId: 'ap-southeast-1',
          serviceId: 'epsrv-t4nzillizsg0000001',
          zones: ['ap-southeast-1a', 'ap-southeast-1b', 'ap-southeast-1c'],
        },
      ],
    },
    publicDns: [{ name: `${DEMO.clusterId}.ali-cn-hangzhou.vectordb.zilliz.com.cn`, type: 'A', value: '203.0.113.10' }],
  };
}
