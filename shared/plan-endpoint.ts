import type { Tag } from './derived.ts';
import type { PlanItem } from './plan.ts';
import { tagMap, unchanged } from './plan-values.ts';
import type { LinkSpec } from './spec.ts';
import { desiredTags, WRITTEN_ELSEWHERE } from './steps/ensure-endpoint.ts';
import { zoneDiff } from './steps/endpoint-zones.ts';
import { tagChanges } from './steps/tag-changes.ts';
import type { StepDeps } from './steps/types.ts';
import type { WorldView } from './steps/validate.ts';

/**
 * What EnsureEndpoint would do to an endpoint zpl made, from reads only, with what each change
 * costs or risks (endpoint-zones.ts and tag-changes.ts make the same diff).
 */
const RESOURCE = 'interface endpoint';
/** Each zone of an interface endpoint is billed by the hour and holds an ENI (an address) in its vSwitch. */
const ZONE_COST = 'each zone is billed by the hour and takes an address in its vSwitch';

export async function planOurEndpoint(
  spec: LinkSpec,
  deps: StepDeps,
  world: WorldView,
  ep: { id: string; status: string; tags: Tag[] },
): Promise<PlanItem[]> {
  const items: PlanItem[] = [];
  const have = await deps.aliyun.privateLink.endpointZones(ep.id);
  const { missing, extra } = zoneDiff(have, world.zones);
  const zoneSets = {
    id: ep.id,
    before: { zones: have.map((z) => z.ZoneId) },
    after: { zones: world.zones.map((z) => z.zoneId) },
  };
  const later = ep.status === 'Active' ? '' : ` (the endpoint is ${ep.status}: apply leaves this for a run after it is Active)`;
  if (missing.length)
    items.push({
      action: 'update',
      ...zoneSets,
      resource: RESOURCE,
      detail: `${ep.id}: add zones ${missing.map((z) => z.zoneId).join(', ')}${later}`,
      risk: ZONE_COST,
    });
  for (const z of extra)
    items.push({
      action: 'remove',
      ...zoneSets,
      resource: 'endpoint zone',
      detail: `${ep.id}: remove ${z.ZoneId} (ENI ${z.EniIp})${later}`,
      risk: `stops its billing and releases its ENI ${z.EniIp}: clients using that address or the zone's own domain lose it (the endpoint's domain keeps answering with the other zones)`,
    });
  const desired = desiredTags(spec, world.port);
  const tags = tagChanges(ep.tags, desired, WRITTEN_ELSEWHERE);
  const tagSets = { id: ep.id, before: { tags: tagMap(ep.tags) }, after: { tags: tagMap(desired) } };
  if (tags.untag.length)
    items.push({
      action: 'remove',
      ...tagSets,
      resource: 'endpoint tags',
      detail: `${ep.id}: untag ${tags.untag.join(', ')} (no longer in the spec)`,
    });
  if (tags.tag.length)
    items.push({
      action: 'update',
      ...tagSets,
      resource: 'endpoint tags',
      detail: `${ep.id}: set ${tags.tag.map((t) => `${t.Key}=${t.Value}`).join(', ')}`,
    });
  if (items.length === 0)
    items.push({
      action: 'keep',
      resource: RESOURCE,
      id: ep.id,
      // Nothing to add or remove: the zones are the spec's.
      ...unchanged({ status: ep.status, zones: zoneSets.after.zones }),
      detail: `${ep.id} (${ep.status})`,
    });
  return items;
}
