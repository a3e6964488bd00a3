import { checkEcsTags, checkEcsTagCount, mergeTags } from '../tag-checks.ts';
import { type Handler, type HandlerContext, type Params, fail } from '../handler.ts';
import type { SecurityGroup } from './model.ts';

/**
 * ECS TagResources / UntagResources (ecs_2014-05-26.json) on security groups, the one ECS resource
 * the emulator holds (`ResourceType` "securitygroup：安全组"; another type it does not hold is
 * `InvalidResourceType.NotFound`, 404). Codes from their errorCodes.
 */

/** "资源ID。N的取值范围为：1~50" (TagResources) / "可输入最多50个资源ID" (UntagResources): NumberExceed.ResourceIds, 400. */
const MAX_RESOURCES = 50;
/** "可输入最多20个标签键" (UntagResources TagKey): NumberExceed.Tags "Valid : 20", 400. */
const MAX_KEYS = 20;

function groups(ctx: HandlerContext, p: Params): SecurityGroup[] {
  if (p.ResourceType !== 'securitygroup')
    fail('InvalidResourceType.NotFound', 'The ResourceType provided does not exist in our records.', 404);
  const ids: string[] = p.ResourceId ?? [];
  if (ids.length > MAX_RESOURCES) fail('NumberExceed.ResourceIds', "The ResourceIds parameter's number is exceed , Valid : 50.");
  return ids.map(
    (id) =>
      ctx.world.ecs.scoped(ctx.accountId, p.RegionId).group(id) ??
      fail('InvalidResourceId.NotFound', 'The specified ResourceIds are not found in our records.', 404),
  );
}

export const ecsTagHandlers: Record<string, Handler> = {
  // A key already on the group gets the new value; the group's tags after the call may not pass 20.
  TagResources(ctx, p) {
    const tags: { Key?: string; Value?: string }[] = p.Tag ?? [];
    checkEcsTags(tags);
    for (const sg of groups(ctx, p)) sg.tags = mergeTags(sg.tags, tags, checkEcsTagCount);
    return {};
  },

  // "All … 当请求中未设置TagKey.N时，该参数才有效"; both set is Param.Conflict (403). A key the group lacks is not an error.
  UntagResources(ctx, p) {
    const keys: string[] = p.TagKey ?? [];
    if (keys.length > MAX_KEYS) fail('NumberExceed.Tags', "The Tags parameter's number is exceed , Valid : 20");
    if (p.All === true && keys.length > 0)
      fail('Param.Conflict', 'The specified all is true, but the specified TagKey.N is not empty.', 403);
    for (const sg of groups(ctx, p)) sg.tags = p.All === true ? [] : sg.tags.filter((t) => !keys.includes(t.Key));
    return {};
  },
};
