import type { Tag } from '../derived.ts';
import { isAliyunError } from './errors.ts';
import { allByToken } from '../paging.ts';
import type { AliyunTransport } from './rpc.ts';
import { ECS } from './catalog/ecs.ts';

export interface IngressRule {
  protocol: 'TCP' | 'ICMP';
  /** `19530/19530`, or `-1/-1` for ICMP. */
  portRange: string;
  sourceCidr: string;
  description: string;
}

/**
 * DescribeSecurityGroups page size. The metadata marks PageNumber/PageSize "该参数即将下线，推荐您使用
 * NextToken与MaxResults完成分页查询操作" and gives MaxResults "最大值为100。默认值为10".
 */
export const SECURITY_GROUP_PAGE_SIZE = 100;

/** AuthorizeSecurityGroup takes `Permissions.N` with "N的取值范围：1~100" (metadata): larger rule sets go in several calls. */
export const PERMISSIONS_PER_CALL = 100;

/** The identity of a rule as far as the product is concerned (protocol, ports, source); descriptions do not count. */
export const ruleKey = (r: IngressRule) => `${r.protocol.toUpperCase()} ${r.portRange} ${r.sourceCidr}`;

/**
 * The rules, each once, in batches of at most PERMISSIONS_PER_CALL. AuthorizeSecurityGroup refuses
 * a call that repeats a permission (`InvalidParam.DuplicatePermissions`, metadata) and more than
 * 100 of them; a rule that already exists in the group is fine ("如果指定的安全组规则已存在，此次调用成功，
 * 但不会增加规则").
 */
export function permissionBatches(rules: IngressRule[]): IngressRule[][] {
  const seen = new Set<string>();
  const unique = rules.filter((r) => !seen.has(ruleKey(r)) && seen.add(ruleKey(r)));
  const batches: IngressRule[][] = [];
  for (let i = 0; i < unique.length; i += PERMISSIONS_PER_CALL) batches.push(unique.slice(i, i + PERMISSIONS_PER_CALL));
  return batches;
}

/** ECS 2014-05-26 security groups; arrays are wrapped (`SecurityGroups.SecurityGroup[]`). */
export class SecurityGroupApi {
  constructor(
    private readonly rpc: AliyunTransport,
    private readonly region: string,
  ) {
    rpc.use('Ecs', ECS);
  }

  find(filter: { vpcId?: string; name?: string; securityGroupId?: string; tags?: Tag[] }) {
    // NextToken/MaxResults, not the PageNumber/PageSize the metadata says are going away.
    return allByToken(async (NextToken) => {
      const r = await this.rpc.call('Ecs', 'DescribeSecurityGroups', this.region, {
        RegionId: this.region,
        VpcId: filter.vpcId,
        SecurityGroupName: filter.name,
        SecurityGroupId: filter.securityGroupId,
        Tag: filter.tags,
        MaxResults: SECURITY_GROUP_PAGE_SIZE,
        NextToken,
      });
      return { items: r.SecurityGroups.SecurityGroup, nextToken: r.NextToken };
    });
  }

  create(input: { vpcId: string; name: string; description: string; tags: Tag[]; clientToken: string }) {
    return this.rpc.call('Ecs', 'CreateSecurityGroup', this.region, {
      RegionId: this.region,
      VpcId: input.vpcId,
      SecurityGroupName: input.name,
      Description: input.description,
      SecurityGroupType: 'normal',
      Tag: input.tags,
      ClientToken: input.clientToken,
    });
  }

  /**
   * Adds ingress rules, each once, in calls of at most 100 (`permissionBatches`), each call with
   * its own ClientToken. Only `Permissions.N` is sent: the deprecated top-level rule fields
   * cannot be mixed with it ("`Permissions.N`前缀的字段和对应不带前缀的字段不能同时指定",
   * `InvalidParam.Permissions`, metadata). An identical existing rule is a no-op on Alibaba's side.
   */
  async authorize(securityGroupId: string, rules: IngressRule[], clientToken: (batch: IngressRule[]) => string): Promise<number> {
    const batches = permissionBatches(rules);
    for (const batch of batches) await this.authorizeBatch(securityGroupId, batch, clientToken(batch));
    return batches.length;
  }

  private authorizeBatch(securityGroupId: string, rules: IngressRule[], clientToken: string) {
    return this.rpc.call('Ecs', 'AuthorizeSecurityGroup', this.region, {
      RegionId: this.region,
      SecurityGroupId: securityGroupId,
      ClientToken: clientToken,
      Permissions: rules.map((r) => ({
        IpProtocol: r.protocol,
        PortRange: r.portRange,
        SourceCidrIp: r.sourceCidr,
        Policy: 'accept',
        Priority: '1',
        NicType: 'intranet',
        Description: r.description,
      })),
    });
  }

  /** The group with its rules, or undefined when it does not exist. */
  async describe(securityGroupId: string) {
    try {
      return await this.rpc.call('Ecs', 'DescribeSecurityGroupAttribute', this.region, {
        RegionId: this.region,
        SecurityGroupId: securityGroupId,
        Direction: 'ingress',
      });
    } catch (e) {
      if (isAliyunError(e, 'InvalidSecurityGroupId.NotFound')) return undefined;
      throw e;
    }
  }

  /**
   * Revokes rules by ID, at most 100 a call ("安全组规则ID列表。N的取值范围：1~100", metadata), each call
   * with its own ClientToken. Naming a rule that is gone fails the call (`InvalidParam.SecurityGroupRuleId`,
   * see the emulator's ecs/revoke.ts): callers read the group again and revoke what is left.
   */
  async revoke(securityGroupId: string, ruleIds: string[], clientToken: (batch: string[]) => string): Promise<void> {
    for (let i = 0; i < ruleIds.length; i += PERMISSIONS_PER_CALL) {
      const batch = ruleIds.slice(i, i + PERMISSIONS_PER_CALL);
      await this.rpc.call('Ecs', 'RevokeSecurityGroup', this.region, {
        RegionId: this.region,
        SecurityGroupId: securityGroupId,
        SecurityGroupRuleId: batch,
        ClientToken: clientToken(batch),
      });
    }
  }

  /** Sets tags on the group (a key present gets the new value); "securitygroup：安全组" is its ResourceType (metadata). */
  tag(securityGroupId: string, tags: Tag[]) {
    return this.rpc.call('Ecs', 'TagResources', this.region, {
      RegionId: this.region,
      ResourceType: 'securitygroup',
      ResourceId: [securityGroupId],
      Tag: tags,
    });
  }

  /** Removes tag keys from the group (at most 20 a call, "可输入最多20个标签键"); a key it lacks is no error. */
  untag(securityGroupId: string, keys: string[]) {
    return this.rpc.call('Ecs', 'UntagResources', this.region, {
      RegionId: this.region,
      ResourceType: 'securitygroup',
      ResourceId: [securityGroupId],
      TagKey: keys,
    });
  }

  /** Refused with `DependencyViolation` (HTTP 403, metadata) while anything, an endpoint's ENI included, is still in the group. */
  delete(securityGroupId: string) {
    return this.rpc.call('Ecs', 'DeleteSecurityGroup', this.region, { RegionId: this.region, SecurityGroupId: securityGroupId });
  }
}
