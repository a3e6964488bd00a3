import { LINK_LIMITS } from '../../../../shared/limits.ts';
import { checkEcsTags } from '../tag-checks.ts';
import { type Handler, type HandlerContext, type Params, fail, iso, pageByNumber, pageByToken, tagsMatch } from '../handler.ts';
import type { SecurityGroup, SecurityGroupRule } from './model.ts';
import { revokeRules } from './revoke.ts';
import { ecsTagHandlers } from './tags.ts';

/** ECS 2014-05-26 security groups, with the error codes (and spellings) of the official metadata. */

const NAME = /^[A-Za-z\u4e00-\u9fa5][A-Za-z0-9\u4e00-\u9fa5:_.-]{1,127}$/;
const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(\/(\d|[12]\d|3[0-2]))?$/;
const DEPRECATED_RULE_FIELDS = ['IpProtocol', 'PortRange', 'SourceCidrIp', 'Policy', 'Priority', 'NicType', 'Description'];

function ownGroup(ctx: HandlerContext, p: Params, notFoundCode: string, status = 404): SecurityGroup {
  return (
    ctx.world.ecs.scoped(ctx.accountId, p.RegionId).group(p.SecurityGroupId) ??
    fail(notFoundCode, 'The specified security group does not exist.', status)
  );
}

function validCidr(value: string): boolean {
  const m = CIDR.exec(value);
  return !!m && [m[1], m[2], m[3], m[4]].every((o) => Number(o) <= 255);
}

type RuleFields = Omit<SecurityGroupRule, 'SecurityGroupRuleId'>;

function toRule(raw: Record<string, string | undefined>, now: number): RuleFields {
  const protocol = String(raw.IpProtocol ?? '').toUpperCase();
  if (!['TCP', 'UDP', 'ICMP', 'GRE', 'ALL'].includes(protocol))
    fail('InvalidIpProtocol.Malformed', 'The specified IpProtocol is not valid.');
  const range = raw.PortRange ?? '';
  const m = /^(-?\d+)\/(-?\d+)$/.exec(range);
  const portless = protocol === 'ICMP' || protocol === 'GRE' || protocol === 'ALL';
  if (!m) return fail('InvalidPortRange.Malformed', 'The specified PortRange is not valid.');
  const [from, to] = [Number(m[1]), Number(m[2])];
  if (portless ? from !== -1 || to !== -1 : from < 1 || to > 65535 || from > to) {
    fail('InvalidPortRange.Malformed', `The PortRange ${range} is not valid for ${protocol}.`);
  }
  if (!raw.SourceCidrIp) fail('MissingParameter.Source', 'A source (SourceCidrIp) is required.');
  if (!validCidr(raw.SourceCidrIp!)) fail('InvalidSourceCidrIp.Malformed', 'The specified SourceCidrIp is not valid.');
  const policy = (raw.Policy ?? 'accept').toLowerCase();
  if (policy !== 'accept' && policy !== 'drop') fail('InvalidPolicy.Malformed', 'The specified Policy is not valid.');
  const priority = raw.Priority ?? '1';
  if (!/^\d+$/.test(priority)) fail('InvalidPriority.Malformed', 'The specified Priority is not valid.');
  if (Number(priority) < 1 || Number(priority) > 100) fail('InvalidPriority.ValueNotSupported', 'Priority must be between 1 and 100.');
  const nicType = raw.NicType ?? 'internet';
  if (nicType !== 'intranet' && nicType !== 'internet') fail('InvalidNicType.ValueNotSupported', 'The specified NicType is not supported.');
  return {
    IpProtocol: protocol,
    PortRange: range,
    SourceCidrIp: raw.SourceCidrIp!,
    Policy: policy === 'accept' ? 'Accept' : 'Drop',
    Priority: priority,
    NicType: nicType,
    Description: raw.Description ?? '',
    Direction: 'ingress',
    CreateTime: iso(now),
  };
}

const sameRule = (a: RuleFields, b: RuleFields) =>
  a.IpProtocol === b.IpProtocol &&
  a.PortRange === b.PortRange &&
  a.SourceCidrIp === b.SourceCidrIp &&
  a.Policy === b.Policy &&
  a.Priority === b.Priority &&
  a.NicType === b.NicType;

export const ecsHandlers: Record<string, Handler> = {
  CreateSecurityGroup(ctx, p) {
    if (!p.VpcId) fail('InvalidVpcId.NotFound', 'A VPC security group needs VpcId.', 404);
    if (!ctx.world.vpc.scoped(ctx.accountId, p.RegionId).vpc(p.VpcId))
      fail('InvalidVpcId.NotFound', 'The specified VpcId does not exist.', 404);
    if (p.SecurityGroupName !== undefined && (!NAME.test(p.SecurityGroupName) || /^https?:\/\//.test(p.SecurityGroupName))) {
      fail('InvalidSecurityGroupName.Malformed', 'The specified SecurityGroupName is not valid.');
    }
    if (
      p.Description !== undefined &&
      (String(p.Description).length < 2 || String(p.Description).length > 256 || /^https?:\/\//.test(p.Description))
    ) {
      fail('InvalidDescription.Malformed', 'The specified Description is not valid.');
    }
    const tags: { Key?: string; Value?: string }[] = p.Tag ?? [];
    checkEcsTags(tags);
    const sg: SecurityGroup = {
      securityGroupId: ctx.world.ids.next('sg'),
      regionId: p.RegionId,
      vpcId: p.VpcId,
      accountId: ctx.accountId,
      name: p.SecurityGroupName ?? '',
      description: p.Description ?? '',
      tags: tags.map((t) => ({ Key: t.Key!, Value: t.Value ?? '' })),
      rules: [],
      createdAt: ctx.world.now(),
    };
    ctx.world.ecs.securityGroups.set(sg.securityGroupId, sg);
    return { SecurityGroupId: sg.securityGroupId };
  },

  AuthorizeSecurityGroup(ctx, p) {
    const sg = ownGroup(ctx, p, 'InvalidSecurityGroupId.NotFound');
    // At most 100 `Permissions.N` ("N的取值范围：1~100"): the catalog's list bound refuses more at the gateway.
    const permissions: Record<string, string | undefined>[] = p.Permissions ?? [];
    const topLevel = DEPRECATED_RULE_FIELDS.filter((f) => p[f] !== undefined);
    // "`Permissions.N`前缀的字段和对应不带前缀的字段不能同时指定" (metadata): InvalidParam.Permissions, 400,
    // "The specified parameter Permissions cannot coexist with other parameters."
    if (permissions.length > 0 && topLevel.length > 0)
      fail('InvalidParam.Permissions', 'The specified parameter Permissions cannot coexist with other parameters.');
    const raws = permissions.length > 0 ? permissions : topLevel.length > 0 ? [Object.fromEntries(topLevel.map((f) => [f, p[f]]))] : [];
    if (raws.length === 0) fail('MissingParameter', 'Permissions is mandatory for this action.');
    const now = ctx.world.now();
    const rules = raws.map((r) => toRule(r, now));
    // The same permission twice in one call is refused (metadata: InvalidParam.DuplicatePermissions, 400),
    // although a permission the group already has is accepted without adding a rule.
    if (rules.some((rule, i) => rules.findIndex((r) => sameRule(r, rule)) !== i)) {
      fail('InvalidParam.DuplicatePermissions', 'There are duplicate permissions in the specified parameter Permissions.');
    }
    // "出方向和入方向安全组规则数量不能超过200条" (metadata, AuthorizeSecurityGroup description):
    // AuthorizationLimitExceed, 403, "The limit of authorization records in the security group reaches."
    const added = rules.filter((rule) => !sg.rules.some((r) => sameRule(r, rule)));
    if (sg.rules.length + added.length > LINK_LIMITS.securityGroupRules)
      fail('AuthorizationLimitExceed', 'The limit of authorization records in the security group reaches.', 403);
    sg.rules.push(...added.map((rule) => ctx.world.ecs.rule(rule))); // an identical rule is a no-op
    return {};
  },

  DescribeSecurityGroupAttribute(ctx, p) {
    // NicType is internet or intranet (metadata description); anything else is InvalidNicType.ValueNotSupported
    // (errorCodes 400), checked before the group is looked up as a parameter's value is.
    if (p.NicType !== undefined && p.NicType !== 'internet' && p.NicType !== 'intranet')
      fail('InvalidNicType.ValueNotSupported', 'The specified NicType is not supported.');
    const sg = ownGroup(ctx, p, 'InvalidSecurityGroupId.NotFound');
    const direction = p.Direction ?? 'all';
    if (!['ingress', 'egress', 'all'].includes(direction)) fail('InvalidParamter', 'Direction must be ingress, egress or all.');
    return {
      SecurityGroupId: sg.securityGroupId,
      SecurityGroupName: sg.name,
      Description: sg.description,
      VpcId: sg.vpcId,
      RegionId: sg.regionId,
      InnerAccessPolicy: 'Accept',
      Permissions: {
        Permission: sg.rules
          .filter((r) => direction === 'all' || r.Direction === direction)
          .filter((r) => !p.NicType || r.NicType === p.NicType)
          .map((r) => ({ ...r, SourceGroupId: '', SourcePortRange: '', DestCidrIp: '', Ipv6SourceCidrIp: '', Ipv6DestCidrIp: '' })),
      },
    };
  },

  DescribeSecurityGroups(ctx, p) {
    let ids: string[] | undefined;
    if (p.SecurityGroupIds) {
      try {
        ids = JSON.parse(p.SecurityGroupIds);
        if (!Array.isArray(ids)) throw new Error();
      } catch {
        fail('InvalidParameter', 'SecurityGroupIds must be a JSON array of IDs.');
      }
    }
    const tagFilter = (p.Tag ?? []) as { Key?: string; Value?: string }[];
    const groups = ctx.world.ecs
      .scoped(ctx.accountId, p.RegionId)
      .groups()
      .filter(
        (sg) =>
          (!p.VpcId || sg.vpcId === p.VpcId) &&
          (!p.SecurityGroupId || sg.securityGroupId === p.SecurityGroupId) &&
          (!ids || ids.includes(sg.securityGroupId)) &&
          (!p.SecurityGroupName || sg.name === p.SecurityGroupName) &&
          tagsMatch(sg.tags, tagFilter),
      );
    // Two paging modes (metadata): MaxResults "最大值为100。默认值为10" with NextToken ("一旦设置该参数，即表示使用
    // `MaxResults`与`NextToken`组合参数的查询方式"), or the deprecated PageNumber with PageSize "最大值为50".
    // A NextToken-paged answer here carries no TotalCount/PageNumber/PageSize: that they are there is not documented.
    const byToken = p.MaxResults !== undefined || p.NextToken !== undefined;
    const paged = byToken ? pageByToken(groups, p, 10, 100) : pageByNumber(groups, p, 10, 50);
    const meta =
      'pageNumber' in paged
        ? { TotalCount: paged.total, PageNumber: paged.pageNumber, PageSize: paged.pageSize }
        : { NextToken: paged.nextToken ?? '' };
    return {
      RegionId: p.RegionId,
      SecurityGroups: {
        SecurityGroup: paged.page.map((sg) => ({
          SecurityGroupId: sg.securityGroupId,
          SecurityGroupName: sg.name,
          Description: sg.description,
          VpcId: sg.vpcId,
          SecurityGroupType: 'normal',
          CreationTime: iso(sg.createdAt),
          ResourceGroupId: '',
          ServiceManaged: false,
          EcsCount: 0,
          AvailableInstanceAmount: 2000,
          Tags: { Tag: sg.tags.map((t) => ({ TagKey: t.Key, TagValue: t.Value })) },
        })),
      },
      ...meta,
    };
  },

  DeleteSecurityGroup(ctx, p) {
    const sg = ownGroup(ctx, p, 'InvalidSecurityGroup.NotFound');
    // Metadata: DependencyViolation, 403, "There is still instance(s) in the specified security group." —
    // while an endpoint uses the group, and for a while after it is gone, until its ENIs are
    // released (the Terraform provider retries DeleteSecurityGroup on DependencyViolation for up to 10 minutes).
    if (ctx.world.ecs.inUse(sg.securityGroupId))
      fail('DependencyViolation', 'There is still instance(s) in the specified security group.', 403);
    ctx.world.ecs.securityGroups.delete(sg.securityGroupId);
    return {};
  },

  RevokeSecurityGroup(ctx, p) {
    revokeRules(ownGroup(ctx, p, 'InvalidSecurityGroupId.NotFound'), p);
    return {};
  },
  ...ecsTagHandlers,
};
