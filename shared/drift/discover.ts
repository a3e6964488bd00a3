import { gatherTag, MANAGED_BY, TAG, type Tag } from '../derived.ts';
import { together } from '../pool.ts';
import type { StepDeps } from '../steps/types.ts';
import type { ManagedLink } from './types.ts';

const tagValue = (tags: Tag[], key: string) => tags.find((t) => t.Key === key)?.Value;

/**
 * Every link zpl manages in a region, found from the tags it wrote: one paged list of tagged
 * endpoints and one of tagged security groups (batched reads, whatever the number of links).
 */
export async function discoverLinks(deps: StepDeps, region: string): Promise<ManagedLink[]> {
  const managed = [{ Key: TAG.managedBy, Value: MANAGED_BY }];
  const [endpoints, groups] = await together([
    () => deps.aliyun.privateLink.listEndpoints({ tags: managed }),
    () => deps.aliyun.securityGroups.find({ tags: managed }),
  ]);
  const links = new Map<string, ManagedLink>();
  const link = (linkId: string, vpcId: string): ManagedLink => {
    let l = links.get(linkId);
    if (!l) {
      l = { linkId, region, vpcId, desired: { clusters: [], zones: [], dnsLayout: 'region-zone', userTags: {} } };
      links.set(linkId, l);
    }
    return l;
  };
  for (const ep of endpoints) {
    const tags = ep.Tags ?? [];
    const id = tagValue(tags, TAG.link);
    if (!id || ep.EndpointStatus === 'Deleting') continue;
    const l = link(id, ep.VpcId);
    l.endpoint = {
      id: ep.EndpointId,
      status: ep.EndpointStatus,
      connection: ep.ConnectionStatus,
      domain: ep.EndpointDomain,
      name: ep.EndpointName ?? '',
      tags,
    };
    l.desired.projectId = tagValue(tags, TAG.project);
    l.desired.clusters = gatherTag(tags, TAG.clusters);
    l.desired.zones = (tagValue(tags, TAG.zones) ?? '').split(',').filter(Boolean);
    const port = Number(tagValue(tags, TAG.port));
    if (port) l.desired.port = port;
    l.desired.dnsLayout = tagValue(tags, TAG.dns) === 'cluster-zone' ? 'cluster-zone' : 'region-zone';
    l.desired.givenSecurityGroup = tagValue(tags, TAG.givenSecurityGroup);
    l.desired.userTags = Object.fromEntries(tags.filter((t) => !t.Key.startsWith('zpl:')).map((t) => [t.Key, t.Value]));
  }
  // Oldest first: a link's later groups are duplicates (shared/steps/security-group-sweep.ts).
  const oldestFirst = [...groups].sort(
    (a, b) => a.CreationTime.localeCompare(b.CreationTime) || a.SecurityGroupId.localeCompare(b.SecurityGroupId),
  );
  for (const sg of oldestFirst) {
    const tags = sg.Tags.Tag.map((t) => ({ Key: t.TagKey, Value: t.TagValue }));
    const id = tagValue(tags, TAG.link);
    if (!id) continue;
    const l = link(id, sg.VpcId);
    if (l.securityGroup) {
      (l.otherSecurityGroups ??= []).push(sg.SecurityGroupId);
      continue;
    }
    l.securityGroup = { id: sg.SecurityGroupId, tags };
    l.desired.cidrs = gatherTag(tags, TAG.cidrs);
    const icmp = tagValue(tags, TAG.icmp);
    if (icmp) l.desired.icmp = icmp === 'true';
    const port = Number(tagValue(tags, TAG.port));
    if (port && !l.desired.port) l.desired.port = port;
  }
  return [...links.values()].sort((a, b) => a.linkId.localeCompare(b.linkId));
}
