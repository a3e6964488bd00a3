import { LINK_LIMITS } from './limits.ts';
import type { LinkSpec } from './spec.ts';

/**
 * The security group zpl creates holds one TCP rule per allowed CIDR block, plus one ICMP rule
 * per block with `icmp` (ensure-security-group.ts desiredRules); ECS allows 200 rules a group
 * (limits.ts). A spec that would need more is refused before any call.
 */
export function securityGroupRuleProblems(spec: Pick<LinkSpec, 'allowedCidrs' | 'icmp'>): { path: string[]; message: string }[] {
  const perBlock = spec.icmp ? 2 : 1;
  const blocks = spec.allowedCidrs?.length ?? 0;
  if (blocks * perBlock <= LINK_LIMITS.securityGroupRules) return [];
  return [
    {
      path: ['allowedCidrs'],
      message: `the security group would need ${blocks * perBlock} rules (${perBlock === 2 ? 'TCP and ICMP' : 'TCP'} for each of ${blocks} CIDR blocks); ECS allows ${LINK_LIMITS.securityGroupRules} per group: list at most ${Math.floor(LINK_LIMITS.securityGroupRules / perBlock)} blocks${spec.icmp ? ', or set icmp: false' : ''}`,
    },
  ];
}
