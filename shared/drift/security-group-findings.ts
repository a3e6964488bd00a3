import { TAG, type Tag } from '../derived.ts';
import type { StepDeps } from '../steps/types.ts';
import type { Finding, ManagedLink } from './types.ts';

/**
 * How zpl's own security group differs from the desired state recorded on the link's resources
 * (a group the spec names is never checked: zpl leaves it as found):
 * - `sg.missing`: no group, or it is gone;
 * - `sg.duplicate`: a second group of zpl's for the link (a late create's; remediation deletes it);
 * - `sg.tags_stale`: its recorded desired state (port, zones, the spec's tags) disagrees with the
 *   endpoint's, which remediation rewrites;
 * - `sg.rule_missing`: a rule the recorded state asks for (TCP to the port from each source, ICMP when on);
 * - `sg.rule_widened`: a rule allowing a source or port range beyond the recorded ones;
 * - `sg.rule_extra`: any other rule the recorded state does not ask for (ICMP switched off, another
 *   protocol, a Drop rule). Remediation revokes both kinds.
 */
const value = (tags: Tag[], key: string) => tags.find((t) => t.Key === key)?.Value;
const userTags = (tags: Tag[]) =>
  tags
    .filter((t) => !t.Key.startsWith('zpl:') && !/^(aliyun|acs:)/i.test(t.Key))
    .map((t) => `${t.Key}=${t.Value}`)
    .sort()
    .join(', ');

function staleTags(l: ManagedLink, sgTags: Tag[]): string[] {
  const ep = l.endpoint?.tags;
  if (!ep) return [];
  const out: string[] = [];
  for (const key of [TAG.port, TAG.zones])
    if (value(ep, key) !== undefined && value(sgTags, key) !== value(ep, key))
      out.push(`${key} is ${value(sgTags, key) ?? 'absent'}, the endpoint records ${value(ep, key)}`);
  if (userTags(sgTags) !== userTags(ep)) out.push(`its tags are {${userTags(sgTags)}}, the endpoint's {${userTags(ep)}}`);
  return out;
}

export async function securityGroupFindings(l: ManagedLink, deps: StepDeps): Promise<Finding[]> {
  const findings: Finding[] = [];
  const add = (kind: Finding['kind'], detail: string) => findings.push({ kind, detail });
  if (l.desired.givenSecurityGroup) return findings;
  const group = l.securityGroup;
  if (!group) {
    add('sg.missing', `no security group tagged for link ${l.linkId}`);
    return findings;
  }
  for (const other of l.otherSecurityGroups ?? [])
    add('sg.duplicate', `${other} is a second security group of link ${l.linkId} (beside ${group.id})`);
  for (const detail of staleTags(l, group.tags)) add('sg.tags_stale', `${group.id}: ${detail}`);
  const { port, cidrs, icmp } = l.desired;
  if (!port || !cidrs) return findings;
  const sg = await deps.aliyun.securityGroups.describe(group.id);
  if (!sg) {
    add('sg.missing', `security group ${group.id} is gone`);
    return findings;
  }
  const rules = sg.Permissions.Permission;
  const ports = `${port}/${port}`;
  const accepts = (r: (typeof rules)[number]) => r.Policy.toLowerCase() === 'accept';
  const wanted = (r: (typeof rules)[number]) =>
    accepts(r) &&
    cidrs.includes(r.SourceCidrIp) &&
    ((r.IpProtocol.toUpperCase() === 'TCP' && r.PortRange === ports) || (r.IpProtocol.toUpperCase() === 'ICMP' && icmp !== false));
  for (const cidr of cidrs) {
    if (!rules.some((r) => wanted(r) && r.IpProtocol.toUpperCase() === 'TCP' && r.SourceCidrIp === cidr))
      add('sg.rule_missing', `${group.id} lacks TCP ${ports} from ${cidr}`);
    if (icmp && !rules.some((r) => wanted(r) && r.IpProtocol.toUpperCase() === 'ICMP' && r.SourceCidrIp === cidr))
      add('sg.rule_missing', `${group.id} lacks ICMP from ${cidr}`);
  }
  const recorded = `recorded: TCP ${ports}${icmp ? ' and ICMP' : ''} from ${cidrs.join(', ')}`;
  for (const r of rules.filter((x) => !wanted(x))) {
    const tcp = r.IpProtocol.toUpperCase() === 'TCP' || r.IpProtocol.toUpperCase() === 'ALL';
    const widened = accepts(r) && (!cidrs.includes(r.SourceCidrIp) || (tcp && r.PortRange !== ports));
    add(
      widened ? 'sg.rule_widened' : 'sg.rule_extra',
      `${group.id} ${accepts(r) ? 'allows' : `has a ${r.Policy} rule for`} ${r.IpProtocol} ${r.PortRange} from ${r.SourceCidrIp || 'another source'} (${recorded})`,
    );
  }
  return findings;
}
