import { linkId, TAG, type Tag } from '../derived.ts';
import { adoptedRemark, remarkLinkId } from '../pvtz-remark.ts';
import type { LinkSpec } from '../spec.ts';
import { TAG_LIMITS } from '../tag-rules.ts';
import { desiredTags } from '../steps/ensure-endpoint.ts';
import { desiredGroupTags } from '../steps/ensure-security-group.ts';
import type { StepDeps } from '../steps/types.ts';
import type { WorldView } from '../steps/validate.ts';
import type { AdoptItem, AdoptMarks, AdoptNames } from './types.ts';

/**
 * What adopting the named resources for a link means, from reads only: every reason it may not
 * (an endpoint for another service, in another VPC or another zpl link's; a group in another VPC,
 * another link's or not the endpoint's; a zone not bound to the VPC or of a name the spec's
 * records do not use), what each named resource gets marked with, and what stays the user's.
 * Nothing unnamed is ever marked: another group of the endpoint, the records in the zone that
 * no cluster of the spec names, a zone serving the VPC that was not named.
 */
export interface Inspection {
  refusals: string[];
  items: AdoptItem[];
  marks: AdoptMarks;
}

const owner = (tags: Tag[]) => tags.find((t) => t.Key === TAG.link)?.Value;
const adoptedTag = (deps: StepDeps): Tag => ({ Key: TAG.adopted, Value: new Date(deps.clock.now()).toISOString().slice(0, 19) + 'Z' });

/** Tags a resource would carry once `set` is written over `have` (TagResources sets keys, it removes none). */
export const withTags = (have: Tag[], set: Tag[]): Tag[] => [...have.filter((h) => !set.some((s) => s.Key === h.Key)), ...set];

/** Tags to write, or a refusal when the resource would pass Alibaba's 20 tags a resource. */
function tagsFor(what: string, id: string, have: Tag[], desired: Tag[], deps: StepDeps, refusals: string[]): Tag[] {
  const set = [...desired, ...(have.some((t) => t.Key === TAG.adopted) ? [] : [adoptedTag(deps)])];
  const total = withTags(have, set).length;
  if (total > TAG_LIMITS.perResource) {
    const theirs = have.filter((h) => !set.some((s) => s.Key === h.Key)).map((t) => t.Key);
    refusals.push(
      `${what} ${id} would carry ${total} tags with zpl's (Alibaba allows ${TAG_LIMITS.perResource}): remove some of its own (${theirs.join(', ')}) or put them in the spec's tags`,
    );
  }
  return set;
}

async function inspectEndpoint(spec: LinkSpec, names: AdoptNames, world: WorldView, deps: StepDeps, out: Inspection) {
  const id = linkId(spec);
  const ep = await deps.aliyun.privateLink.getEndpoint(names.endpointId);
  if (!ep) return void out.refusals.push(`endpoint ${names.endpointId}: no such endpoint in ${spec.region}`);
  if (ep.VpcId !== spec.vpcId) out.refusals.push(`endpoint ${ep.EndpointId} is in ${ep.VpcId}, not in the spec's VPC ${spec.vpcId}`);
  if (world.serviceName && ep.ServiceName !== world.serviceName)
    out.refusals.push(
      `endpoint ${ep.EndpointId} connects to ${ep.ServiceName}, not to Zilliz's endpoint service in ${spec.region} (${world.serviceName})`,
    );
  if (ep.EndpointStatus === 'Deleting') out.refusals.push(`endpoint ${ep.EndpointId} is being deleted`);
  // GetVpcEndpointAttribute carries no tags; the VPC's listing does.
  const listed = (await deps.aliyun.privateLink.listEndpoints({ vpcId: ep.VpcId })).find((e) => e.EndpointId === ep.EndpointId);
  const tags = listed?.Tags ?? [];
  const other = owner(tags);
  if (other && other !== id) return void out.refusals.push(`endpoint ${ep.EndpointId} belongs to zpl link ${other}`);
  if (other === id)
    return void out.items.push({ action: 'keep', resource: 'interface endpoint', id: ep.EndpointId, detail: "already this link's" });
  const set = tagsFor('endpoint', ep.EndpointId, tags, desiredTags(spec, world.port), deps, out.refusals);
  out.marks.endpoint = { id: ep.EndpointId, tags: set };
  out.items.push({
    action: 'adopt',
    resource: 'interface endpoint',
    id: ep.EndpointId,
    detail: `${ep.EndpointName ?? ''} ${ep.EndpointDomain} (${ep.EndpointStatus}); tagged ${TAG.link}=${id}, ${TAG.adopted}`.trim(),
  });
}

async function inspectGroups(spec: LinkSpec, names: AdoptNames, world: WorldView, deps: StepDeps, out: Inspection) {
  const id = linkId(spec);
  const inEndpoint = (await deps.aliyun.privateLink.getEndpoint(names.endpointId))
    ? (await deps.aliyun.privateLink.endpointSecurityGroups(names.endpointId)).map((g) => g.SecurityGroupId)
    : [];
  const named = names.securityGroupId;
  if (named && spec.securityGroupId)
    out.refusals.push(
      `the spec gives security group ${spec.securityGroupId} (used as found, never changed): leave securityGroupId out of the spec to adopt ${named}`,
    );
  if (!named && spec.securityGroupId && !inEndpoint.includes(spec.securityGroupId))
    out.refusals.push(
      `the spec's security group ${spec.securityGroupId} is not one of endpoint ${names.endpointId}'s (${inEndpoint.join(', ')})`,
    );
  for (const g of inEndpoint.filter((g) => g !== named && g !== spec.securityGroupId))
    out.items.push({
      action: 'leave',
      resource: 'security group',
      id: g,
      detail: `in the endpoint but not named: stays yours, never changed or deleted`,
    });
  if (!named) {
    if (spec.securityGroupId) return;
    const ours = (await deps.aliyun.securityGroups.find({ vpcId: spec.vpcId, tags: [{ Key: TAG.link, Value: id }] })).map(
      (g) => g.SecurityGroupId,
    );
    if (!inEndpoint.some((g) => ours.includes(g)))
      out.refusals.push(
        `endpoint ${names.endpointId} is in ${inEndpoint.join(', ') || 'no security group'}: name one with --security-group to adopt it, or set securityGroupId in the spec to use it as found`,
      );
    return;
  }
  const [sg] = await deps.aliyun.securityGroups.find({ securityGroupId: named });
  if (!sg) return void out.refusals.push(`security group ${named}: no such group in ${spec.region}`);
  const tags = sg.Tags.Tag.map((t) => ({ Key: t.TagKey, Value: t.TagValue }));
  if (sg.VpcId !== spec.vpcId) out.refusals.push(`security group ${named} is in ${sg.VpcId}, not in the spec's VPC ${spec.vpcId}`);
  else if (!inEndpoint.includes(named))
    out.refusals.push(`security group ${named} is not one of endpoint ${names.endpointId}'s (${inEndpoint.join(', ') || 'none'})`);
  const other = owner(tags);
  if (other && other !== id) return void out.refusals.push(`security group ${named} belongs to zpl link ${other}`);
  if (other === id) return void out.items.push({ action: 'keep', resource: 'security group', id: named, detail: "already this link's" });
  const set = tagsFor('security group', named, tags, desiredGroupTags(spec, world), deps, out.refusals);
  out.marks.securityGroup = { id: named, tags: set };
  out.items.push({
    action: 'adopt',
    resource: 'security group',
    id: named,
    detail: `${sg.SecurityGroupName}; tagged ${TAG.link}=${id}, ${TAG.adopted}: apply then makes its rules exactly the spec's`.trim(),
  });
}

async function inspectZone(spec: LinkSpec, names: AdoptNames, world: WorldView, deps: StepDeps, out: Inspection) {
  if (!names.zoneId) return;
  const id = linkId(spec);
  const pvtz = deps.aliyun.privateZone;
  const zone = await pvtz.zoneInfo(names.zoneId);
  if (!zone) return void out.refusals.push(`private zone ${names.zoneId}: no such zone`);
  if (!zone.BindVpcs.Vpc.some((v) => v.VpcId === spec.vpcId))
    out.refusals.push(`private zone ${zone.ZoneName} ${zone.ZoneId} is not bound to ${spec.vpcId}`);
  const clusters = world.clusters.filter((c) => c.zoneName === zone.ZoneName.toLowerCase());
  if (world.clusters.length && clusters.length === 0)
    out.refusals.push(
      `private zone ${zone.ZoneName} is not where the spec's records go (${[...new Set(world.clusters.map((c) => c.zoneName))].join(', ')})`,
    );
  const maker = remarkLinkId(zone.Remark);
  if (maker && maker !== id)
    out.items.push({
      action: 'keep',
      resource: 'private zone',
      id: zone.ZoneId,
      detail: `${zone.ZoneName}: already zpl's (made for link ${maker})`,
    });
  else if (maker)
    out.items.push({ action: 'keep', resource: 'private zone', id: zone.ZoneId, detail: `${zone.ZoneName}: already this link's` });
  else {
    out.marks.zone = { id: zone.ZoneId, remark: adoptedRemark(id) };
    out.items.push({
      action: 'adopt',
      resource: 'private zone',
      id: zone.ZoneId,
      detail: `${zone.ZoneName}; remark ${adoptedRemark(id)}${zone.Remark ? ` (was "${zone.Remark}")` : ''}`,
    });
  }
  const wanted = new Set(clusters.map((c) => c.rr));
  for (const r of await pvtz.records(zone.ZoneId)) {
    const fqdn = r.Rr === '@' ? zone.ZoneName : `${r.Rr}.${zone.ZoneName}`;
    const mark = remarkLinkId(r.Remark);
    if (!wanted.has(r.Rr))
      out.items.push({
        action: 'leave',
        resource: 'record',
        id: String(r.RecordId),
        detail: `${fqdn} ${r.Type} ${r.Value}: no cluster of the spec; stays yours`,
      });
    else if (mark)
      out.items.push({ action: 'keep', resource: 'record', id: String(r.RecordId), detail: `${fqdn}: already zpl's (link ${mark})` });
    else {
      out.marks.records.push({ zoneId: zone.ZoneId, recordId: r.RecordId, fqdn, remark: adoptedRemark(id) });
      out.items.push({
        action: 'adopt',
        resource: 'record',
        id: String(r.RecordId),
        detail: `${fqdn} ${r.Type} ${r.Value}; remark ${adoptedRemark(id)}`,
      });
    }
  }
}

export async function inspectAdoption(spec: LinkSpec, names: AdoptNames, world: WorldView, deps: StepDeps): Promise<Inspection> {
  const out: Inspection = { refusals: [...world.problems], items: [], marks: { records: [] } };
  await inspectEndpoint(spec, names, world, deps, out);
  await inspectGroups(spec, names, world, deps, out);
  await inspectZone(spec, names, world, deps, out);
  return out;
}
