import { isAliyunError } from '../aliyun/errors.ts';
import { linkId, TAG, type Tag } from '../derived.ts';
import type { LinkSpec } from '../spec.ts';
import { findEndpoint } from './ensure-endpoint.ts';
import type { Change, StepDeps } from './types.ts';

/**
 * A link has one security group of zpl's own. Two can exist when a create's reply came too late
 * for the run that sent it and a later run, under another token, created again (the tokens of
 * zpl before lifetime tokens; a cloud that forgot a token). The sweep keeps one and deletes the
 * others with their rules.
 */
export interface OwnGroup {
  id: string;
  /** DescribeSecurityGroups' CreationTime ("yyyy-MM-ddThh:mmZ", metadata). */
  created: string;
  tags: Tag[];
}

/** zpl's groups of the link in its VPC (by the link tag), oldest first. */
export async function ourGroups(spec: LinkSpec, deps: StepDeps): Promise<OwnGroup[]> {
  const found = await deps.aliyun.securityGroups.find({ vpcId: spec.vpcId, tags: [{ Key: TAG.link, Value: linkId(spec) }] });
  return found
    .map((g) => ({ id: g.SecurityGroupId, created: g.CreationTime, tags: g.Tags.Tag.map((t) => ({ Key: t.TagKey, Value: t.TagValue })) }))
    .sort((a, b) => a.created.localeCompare(b.created) || a.id.localeCompare(b.id));
}

/**
 * Which group to keep, and why: the one zpl's endpoint is in (the link's traffic passes it, and
 * an endpoint cannot leave its last group), else the oldest (the one the first run made; the
 * others came later). Reads only: `zpl plan` shows the same choice.
 */
export async function keeperOf(spec: LinkSpec, deps: StepDeps, groups: OwnGroup[]): Promise<{ keep: OwnGroup; why: string }> {
  const oldest = { keep: groups[0]!, why: 'the oldest' };
  if (groups.length < 2) return oldest;
  const endpoint = await findEndpoint(spec, undefined, deps);
  if (endpoint.kind !== 'ours') return oldest;
  const used = new Set((await deps.aliyun.privateLink.endpointSecurityGroups(endpoint.id)).map((g) => g.SecurityGroupId));
  const inUse = groups.find((g) => used.has(g.id));
  return inUse ? { keep: inUse, why: `the one endpoint ${endpoint.id} is in` } : oldest;
}

/**
 * Deletes the duplicates (their rules go with them). One still in use (DependencyViolation, HTTP
 * 403, metadata) is left for a later run and said so; one already gone counts as done.
 */
export async function deleteDuplicates(deps: StepDeps, step: string, keep: { keep: OwnGroup; why: string }, groups: OwnGroup[]) {
  const changes: Change[] = [];
  for (const g of groups.filter((x) => x.id !== keep.keep.id)) {
    const note = `a second security group of the link; kept ${keep.keep.id} (${keep.why})`;
    try {
      await deps.aliyun.securityGroups.delete(g.id);
      changes.push({ step, action: 'deleted', resource: 'duplicate security group', id: g.id, note });
    } catch (e) {
      if (isAliyunError(e, /^InvalidSecurityGroup(Id)?\.NotFound$/)) continue;
      if (!isAliyunError(e, 'DependencyViolation')) throw e;
      changes.push({
        step,
        action: 'kept',
        resource: 'duplicate security group',
        id: g.id,
        note: `${note}; still in use, left for the next run`,
      });
    }
  }
  return changes;
}
