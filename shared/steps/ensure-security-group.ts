import type { IngressRule } from '../aliyun/ecs.ts';
import { linkId, ownershipTags, securityGroupName, TAG, MANAGED_BY } from '../derived.ts';
import type { LinkSpec } from '../spec.ts';
import { noteChange, StepFailure, tokensFor, type LinkState, type Step, type StepDeps } from './types.ts';

/** TCP to the cluster port from the allowed sources (the VPC's CIDRs unless widened), ICMP when asked. */
export function desiredRules(spec: LinkSpec, state: Pick<LinkState, 'vpcCidrs' | 'port'>): IngressRule[] {
  const sources = spec.allowedCidrs ?? state.vpcCidrs;
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

export type SecurityGroupPlan = { kind: 'given'; id: string } | { kind: 'ours'; id: string } | { kind: 'create' };

/** The group to use: the one the spec names, else ours (by tag), else a new one. */
export async function findSecurityGroup(spec: LinkSpec, deps: StepDeps): Promise<SecurityGroupPlan> {
  if (spec.securityGroupId) return { kind: 'given', id: spec.securityGroupId };
  const ours = await deps.aliyun.securityGroups.find({ vpcId: spec.vpcId, tags: [{ Key: TAG.link, Value: linkId(spec) }] });
  return ours[0] ? { kind: 'ours', id: ours[0].SecurityGroupId } : { kind: 'create' };
}

/** Rules ours lacks (an identical rule is matched by protocol, ports and source). */
export async function missingRules(deps: StepDeps, securityGroupId: string, wanted: IngressRule[]): Promise<IngressRule[]> {
  const sg = await deps.aliyun.securityGroups.describe(securityGroupId);
  if (!sg) throw new StepFailure('SecurityGroup.Gone', `security group ${securityGroupId} disappeared`);
  const have = sg.Permissions.Permission;
  return wanted.filter(
    (w) => !have.some((h) => h.IpProtocol.toUpperCase() === w.protocol && h.PortRange === w.portRange && h.SourceCidrIp === w.sourceCidr),
  );
}

export const ensureSecurityGroup: Step = async (input, deps) => {
  const { spec, state } = input;
  const token = tokensFor(input);
  const wanted = desiredRules(spec, state);
  const plan = await findSecurityGroup(spec, deps);
  if (plan.kind === 'given') {
    // A group the user brought is used as it is: never changed.
    return {
      state: noteChange(
        { ...state, securityGroupId: plan.id },
        {
          step: 'EnsureSecurityGroup',
          action: 'reused',
          resource: 'security group',
          id: plan.id,
          note: 'given in the spec; left as found',
        },
      ),
    };
  }
  let id: string;
  let next = state;
  if (plan.kind === 'ours') {
    id = plan.id;
  } else {
    const created = await deps.aliyun.securityGroups.create({
      vpcId: spec.vpcId,
      name: securityGroupName(spec),
      description: `Zilliz Cloud private link ${linkId(spec)} (${MANAGED_BY})`,
      tags: [
        ...ownershipTags(spec, { cidrs: wanted.filter((r) => r.protocol === 'TCP').map((r) => r.sourceCidr), port: state.port }),
        { Key: TAG.icmp, Value: String(spec.icmp) },
      ],
      clientToken: token('sg', { vpc: spec.vpcId }),
    });
    id = created.SecurityGroupId;
    next = noteChange(next, { step: 'EnsureSecurityGroup', action: 'created', resource: 'security group', id });
  }
  const missing = await missingRules(deps, id, wanted);
  if (missing.length > 0) {
    // In calls of at most 100 distinct permissions, each with a token of its own batch (ecs.ts).
    await deps.aliyun.securityGroups.authorize(id, missing, (batch) => token('sg-rules', batch));
    next = noteChange(next, {
      step: 'EnsureSecurityGroup',
      action: 'updated',
      resource: 'security group rules',
      id,
      note: missing.map((r) => `${r.protocol} ${r.portRange} from ${r.sourceCidr}`).join(', '),
    });
  } else if (plan.kind === 'ours') {
    next = noteChange(next, { step: 'EnsureSecurityGroup', action: 'unchanged', resource: 'security group', id });
  }
  return { state: { ...next, securityGroupId: id } };
};
