import { type Params, fail } from '../handler.ts';
import type { SecurityGroup, SecurityGroupRule } from './model.ts';

/**
 * ECS RevokeSecurityGroup (ecs_2014-05-26.json), the two ways its description allows:
 * - by `SecurityGroupRuleId.N` ("通过指定安全组规则ID参数方式删除规则（推荐）"): an ID the group lacks fails
 *   the whole call ("如果指定的安全组规则ID不存在，会报异常"); since 2024-07-08 that answer is
 *   `InvalidParam.SecurityGroupRuleId` ("When you call the RevokeSecurityGroup operation to delete a
 *   security group rule that does not exist, the InvalidParam.SecurityGroupRuleId error code is
 *   returned", https://www.alibabacloud.com/help/en/ecs/developer-reference/api-ecs-2014-05-26-revokesecuritygroup);
 *   an ID twice is `InvalidParam.SecurityGroupRuleIdRepeated` (errorCodes 400);
 * - by `Permissions.N` (protocol, ports, source, policy, NIC type): "如果匹配的安全组规则不存在，此次调用成功，
 *   但不会删除规则".
 * The two cannot be mixed ("不支持设置安全组规则ID和其它不带Permissions.N前缀的参数"), nor Permissions.N with
 * the deprecated top-level fields: `InvalidParam.Permissions` (errorCodes 400).
 */

const TOP_LEVEL = ['IpProtocol', 'PortRange', 'SourceCidrIp', 'Policy', 'NicType'];

type Permission = Record<string, string | undefined>;

/** Whether a permission as the caller describes it names this rule (protocol case-insensitive; policy defaults to accept). */
function describes(p: Permission, r: SecurityGroupRule): boolean {
  const source = p.SourceCidrIp ?? p.SourceGroupId;
  return (
    String(p.IpProtocol ?? '').toUpperCase() === r.IpProtocol.toUpperCase() &&
    p.PortRange === r.PortRange &&
    source === r.SourceCidrIp &&
    (p.Policy ?? 'accept').toLowerCase() === r.Policy.toLowerCase() &&
    (p.NicType === undefined || p.NicType === r.NicType)
  );
}

function byIds(sg: SecurityGroup, ids: string[]): void {
  if (new Set(ids).size !== ids.length)
    fail('InvalidParam.SecurityGroupRuleIdRepeated', 'The specified parameter SecurityGroupRuleId is repeated.');
  if (ids.some((id) => !sg.rules.some((r) => r.SecurityGroupRuleId === id)))
    fail('InvalidParam.SecurityGroupRuleId', 'The specified parameter SecurityGroupRuleId is not valid.');
  sg.rules = sg.rules.filter((r) => !ids.includes(r.SecurityGroupRuleId));
}

function byPermissions(sg: SecurityGroup, permissions: Permission[]): void {
  for (const p of permissions) {
    if (!p.SourceCidrIp && !p.SourceGroupId)
      fail(
        'MissingParameter.Source',
        'One of the parameters SourceCidrIp, Ipv6SourceCidrIp, SourceGroupId or SourcePrefixListId must be specified.',
      );
  }
  sg.rules = sg.rules.filter((r) => !permissions.some((p) => describes(p, r)));
}

/** Removes the rules the call names from the group (the handler has found the caller's group). */
export function revokeRules(sg: SecurityGroup, p: Params): void {
  const ids: string[] = p.SecurityGroupRuleId ?? [];
  const permissions: Permission[] = p.Permissions ?? [];
  const topLevel = TOP_LEVEL.filter((f) => p[f] !== undefined);
  if ((ids.length > 0 && (permissions.length > 0 || topLevel.length > 0)) || (permissions.length > 0 && topLevel.length > 0))
    fail('InvalidParam.Permissions', 'The specified parameter Permissions cannot coexist with other parameters.');
  if (ids.length > 0) byIds(sg, ids);
  else if (permissions.length > 0) byPermissions(sg, permissions);
  else if (topLevel.length > 0) byPermissions(sg, [Object.fromEntries(topLevel.map((f) => [f, p[f] as string]))]);
  else
    fail(
      'MissingParameter.Source',
      'One of the parameters SourceCidrIp, Ipv6SourceCidrIp, SourceGroupId or SourcePrefixListId must be specified.',
    );
}
