import { MANAGED_BY } from './derived.ts';
import type { PlanItem } from './plan.ts';
import { created, removed, tagMap, unchanged } from './plan-values.ts';
import type { LinkSpec } from './spec.ts';
import { desiredGroupTags, findSecurityGroup, GROUP_WRITTEN_ELSEWHERE } from './steps/ensure-security-group.ts';
import {
  allowedSources,
  describeHave,
  describeWanted,
  desiredRules,
  ingressRules,
  ruleDiff,
  type HaveRule,
} from './steps/security-group-rules.ts';
import { keeperOf } from './steps/security-group-sweep.ts';
import { tagChanges } from './steps/tag-changes.ts';
import type { StepDeps } from './steps/types.ts';
import type { WorldView } from './steps/validate.ts';

/**
 * What EnsureSecurityGroup would do, from reads only, with what each change risks: the same
 * lookups and the same diff (security-group-rules.ts, security-group-sweep.ts, tag-changes.ts).
 */
const RESOURCE = 'security group';

/** Who loses access when these rules go: zpl's own old rules narrow the link; others were added by hand. */
function revokeRisk(unwanted: HaveRule[], sources: string[], port: number | undefined): string {
  const ours = unwanted.filter((r) => (r.Description ?? '').includes(MANAGED_BY));
  const theirs = unwanted.filter((r) => !ours.includes(r));
  const parts: string[] = [];
  if (ours.length)
    parts.push(
      `clients reaching the endpoint only through ${ours.map(describeHave).join(', ')} are cut off (the spec allows TCP ${port} from ${sources.join(', ')})`,
    );
  if (theirs.length) parts.push(`rules not made by zpl (added by hand) are revoked too: ${theirs.map(describeHave).join(', ')}`);
  return parts.join('; ');
}

export async function planSecurityGroup(spec: LinkSpec, deps: StepDeps, world: WorldView): Promise<PlanItem[]> {
  const sg = await findSecurityGroup(spec, deps);
  const rules = desiredRules(spec, world);
  const wanted = { rules: rules.map(describeWanted) };
  if (sg.kind === 'given')
    return [
      {
        action: 'reuse',
        resource: RESOURCE,
        id: sg.id,
        ...unchanged({ given: true }),
        detail: `${sg.id} (given; left as found)`,
      },
    ];
  if (sg.kind === 'create') return [{ action: 'create', resource: RESOURCE, ...created(wanted), detail: wanted.rules.join(', ') }];
  const items: PlanItem[] = [];
  const keep = await keeperOf(spec, deps, sg.all);
  const id = keep.keep.id;
  for (const other of sg.all.filter((g) => g.id !== id))
    items.push({
      action: 'remove',
      resource: RESOURCE,
      id: other.id,
      ...removed({ duplicateOf: id }),
      detail: `${other.id}: a second group of the link; ${id} is kept (${keep.why})`,
      risk: 'its rules go with it; a group something else was put in meanwhile is left (DependencyViolation)',
    });
  const have = await ingressRules(deps, id);
  const { missing, unwanted } = ruleDiff(have, rules);
  // Rule items show the group's whole ingress before and after.
  const ruleSets = { id, before: { rules: have.map(describeHave) }, after: wanted };
  if (missing.length)
    items.push({ action: 'update', ...ruleSets, resource: RESOURCE, detail: `${id}: add ${missing.map(describeWanted).join(', ')}` });
  if (unwanted.length)
    items.push({
      action: 'remove',
      ...ruleSets,
      resource: 'security group rules',
      detail: `${id}: revoke ${unwanted.map(describeHave).join(', ')}`,
      risk: revokeRisk(unwanted, allowedSources(spec, world) ?? [], world.port),
    });
  const desiredTags = desiredGroupTags(spec, world);
  const tags = tagChanges(keep.keep.tags, desiredTags, GROUP_WRITTEN_ELSEWHERE);
  const tagSets = {
    id,
    before: { tags: tagMap(keep.keep.tags) },
    after: { tags: tagMap(desiredTags) },
  };
  if (tags.untag.length)
    items.push({
      action: 'remove',
      ...tagSets,
      resource: 'security group tags',
      detail: `${id}: untag ${tags.untag.join(', ')} (no longer in the spec)`,
    });
  if (tags.tag.length)
    items.push({
      action: 'update',
      ...tagSets,
      resource: 'security group tags',
      detail: `${id}: set ${tags.tag.map((t) => `${t.Key}=${t.Value}`).join(', ')}`,
    });
  if (items.length === 0) items.push({ action: 'keep', resource: RESOURCE, id, ...unchanged(wanted), detail: id });
  return items;
}
