import type { SecretKey } from '../shared/secrets.ts';

/**
 * The three RAM roles a deployment runs as, each trusted by the one service that assumes it, and
 * the secrets its functions read (shared/secrets.ts). A role trusted by an Alibaba Cloud service
 * names it as `Principal.Service` with `sts:AssumeRole` (RAM, "创建可信实体为阿里云服务的RAM角色",
 * https://help.aliyun.com/zh/ram/user-guide/create-a-ram-role-for-a-trusted-alibaba-cloud-service;
 * CreateRole's AssumeRolePolicyDocument: "这个主体可以是阿里云账号、阿里云服务或身份提供商",
 * ram_2015-05-01.json). Function Compute is `fc.aliyuncs.com` and CloudFlow `fnf.aliyuncs.com`, as in
 * the Terraform provider's examples (terraform-provider-alicloud website/docs/r/fc_function.html.markdown
 * and fnf_flow.html.markdown).
 */
export const FC_SERVICE = 'fc.aliyuncs.com';
export const CLOUDFLOW_SERVICE = 'fnf.aliyuncs.com';

export interface RoleDef {
  /** The service that assumes the role. */
  service: string;
  description: string;
  /** The secrets the role's functions read from KMS Secrets Manager. */
  secrets: readonly SecretKey[];
}

export const ROLES = {
  'zpl-steps': {
    service: FC_SERVICE,
    description: 'zilliz-privatelink step functions: ECS, VPC, PrivateLink and PrivateZone on the links they provision',
    secrets: ['zillizApiKey'],
  },
  'zpl-entry': {
    service: FC_SERVICE,
    description: 'zilliz-privatelink entry functions (API, ticket intake, drift timer, followers, callbacks): start and read its flows',
    secrets: ['apiHmacSecret', 'apiToken', 'callbackSecret'],
  },
  'zpl-flow': {
    service: CLOUDFLOW_SERVICE,
    description: 'zilliz-privatelink flows: invoke its functions, announce outcomes on its event bus',
    secrets: [],
  },
} as const satisfies Record<string, RoleDef>;

export type RoleName = keyof typeof ROLES;
export const ROLE_NAMES = Object.keys(ROLES) as RoleName[];

/** The role's trust policy: only its service may assume it. */
export const trustPolicy = (service: string) => ({
  Version: '1',
  Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: [service] } }],
});

/** The role's ARN as FC and CloudFlow take it (`role:` in s.yaml, `roleArn` of a flow). */
export const roleArn = (accountId: string, role: RoleName) => `acs:ram::${accountId}:role/${role}`;
