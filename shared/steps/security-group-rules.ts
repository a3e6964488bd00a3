import { isAliyunError } from '../aliyun/errors.ts';
import type { ActionResponse } from '../aliyun/catalog.ts';
import type { IngressRule } from '../aliyun/ecs.ts';
import { MANAGED_BY } from '../derived.ts';
import type { LinkSpec } from '../spec.ts';
import { StepFailure, type LinkState, type StepDeps, type Tokens } from './types.ts';

/** An ingress rule as DescribeSecurityGroupAttribute lists it. */
export type HaveRule = ActionResponse<'Ecs', 'DescribeSecurityGroupAttribute'>['Permissions']['Permission'][number];

/** The allowed sources: `allowedCidrs`, else the VPC's own blocks (Validate read them). */
export function allowedSources(spec: LinkSpec, state: Pick<LinkState, 'vpcCidrs'>): string[] | undefined {
  return spec.allowedCidrs ?? state.vpcCidrs;
}

/** TCP to the cluster port from the allowed sources (the VPC's CIDRs unless widened), ICMP when asked. */
export function desiredRules(spec: LinkSpec, state: Pick<LinkState, 'vpcCidrs' | 'port'>): IngressRule[] {
  const sources = allowedSources(spec, state);
  const port = state.port;
  if (!sources || port === undefined)
    throw new StepFailure('State.Incomplete', 'the port and the allowed sources are unknown: the Validate step did not run');
  const rules: IngressRule[] = sources.map((cidr) => ({
    protocol: 'TCP',
    portRange: `${port}/${port}`,
    sourceCidr: cidr,
    description: `Zilliz Cloud private link (${MANAGED_BY})`,
  }));
  if (spec.icmp)
    for (const cidr of sources)
      rules.push({ protocol: 'ICMP', portRange: '-1/-1', sourceCidr: cidr, description: `troubleshooting ping (${MANAGED_BY})` });
  return rules;
}

/** A rule grants what a wanted one does: same protocol, ports and source, and it accepts (a Drop rule is not it). */
const grants = (h: HaveRule, w: IngressRule) =>
  h.IpProtocol.toUpperCase() === w.protocol &&
  h.PortRange === w.portRange &&
  h.SourceCidrIp === w.sourceCidr &&
  h.Policy.toLowerCase() === 'accept';

/**
 * What zpl's own group lacks and what it has beyond the spec: zpl's rules no longer wanted (a
 * narrowed source, a changed port, ICMP switched off) and rules added by hand, whatever they allow.
 */
export function ruleDiff(have: HaveRule[], wanted: IngressRule[]): { missing: IngressRule[]; unwanted: HaveRule[] } {
  return {
    missing: wanted.filter((w) => !have.some((h) => grants(h, w))),
    unwanted: have.filter((h) => !wanted.some((w) => grants(h, w))),
  };
}

export const describeWanted = (r: IngressRule) => `${r.protocol} ${r.portRange} from ${r.sourceCidr}`;
export const describeHave = (r: HaveRule) =>
  `${r.IpProtocol.toUpperCase()} ${r.PortRange} from ${r.SourceCidrIp || 'another source'}${r.Policy.toLowerCase() === 'accept' ? '' : ` (${r.Policy})`}`;

/** The group's ingress rules; gone is a failure (it was found a moment ago). */
export async function ingressRules(deps: StepDeps, securityGroupId: string): Promise<HaveRule[]> {
  const sg = await deps.aliyun.securityGroups.describe(securityGroupId);
  if (!sg) throw new StepFailure('SecurityGroup.Gone', `security group ${securityGroupId} disappeared`);
  return sg.Permissions.Permission;
}

/** Rules ours lacks (an identical rule is matched by protocol, ports and source). */
export async function missingRules(deps: StepDeps, securityGroupId: string, wanted: IngressRule[]): Promise<IngressRule[]> {
  return ruleDiff(await ingressRules(deps, securityGroupId), wanted).missing;
}

/** Naming a rule that is gone fails the whole RevokeSecurityGroup call (the 2024 rule, emulator's ecs/revoke.ts; the metadata's 404 too). */
const RULE_GONE = /^(InvalidParam\.SecurityGroupRuleId|InvalidSecurityGroupRuleId\.NotFound)$/;
const REVOKE_ROUNDS = 3;

/**
 * Revokes the rules by ID. A rule already gone (revoked by hand meanwhile, or by this very call
 * whose reply was lost) fails the call: read the group again and revoke those still there.
 */
export async function revokeRules(deps: StepDeps, token: Tokens, securityGroupId: string, rules: HaveRule[]): Promise<void> {
  let ids = rules.map((r) => r.SecurityGroupRuleId);
  for (let round = 1; ids.length > 0; round++) {
    try {
      await deps.aliyun.securityGroups.revoke(securityGroupId, ids, (batch) => token('sg-revoke', batch));
      return;
    } catch (e) {
      if (!isAliyunError(e, RULE_GONE) || round >= REVOKE_ROUNDS) throw e;
      const present = new Set((await ingressRules(deps, securityGroupId)).map((r) => r.SecurityGroupRuleId));
      ids = ids.filter((id) => present.has(id));
    }
  }
}
