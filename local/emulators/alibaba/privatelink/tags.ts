import { tagKeyProblem } from '../../../../shared/tag-rules.ts';
import { type Handler, type HandlerContext, type Params, fail } from '../handler.ts';
import { checkPrivateLinkTagCount, checkPrivateLinkTags, mergeTags } from '../tag-checks.ts';
import type { Endpoint } from './model.ts';

/**
 * PrivateLink TagResources / UntagResources on endpoints (privatelink_2020-04-15.json; ResourceType
 * `vpcendpoint`, lower case, or `vpcendpointservice`, which the emulator does not hold). Codes
 * from their errorCodes (all 400).
 */

function endpoints(ctx: HandlerContext, p: Params): Endpoint[] {
  if (!['vpcendpoint', 'vpcendpointservice'].includes(p.ResourceType))
    fail('InvalidParameter', 'The ResourceType must be vpcendpoint or vpcendpointservice.');
  return (p.ResourceId as string[]).map((id) => {
    const ep = p.ResourceType === 'vpcendpoint' ? ctx.world.privatelink.scoped(ctx.accountId, p.RegionId).endpoint(id) : undefined;
    return ep ?? fail('InvalidResourceId.NotFound', 'The specified ResourceIds are not found in our records.');
  });
}

export const privateLinkTagHandlers: Record<string, Handler> = {
  // A key already there gets the new value; more than 20 after the call is QuotaExceed.TagsPerResource.
  TagResources(ctx, p) {
    const tags: { Key?: string; Value?: string }[] = p.Tag ?? [];
    checkPrivateLinkTags(tags);
    for (const ep of endpoints(ctx, p)) ep.tags = mergeTags(ep.tags, tags, checkPrivateLinkTagCount);
    return {};
  },

  /**
   * TagKey "一旦传入该值，则不允许为空字符串… 不能以`aliyun`和`acs:`开头" (IllegalTagKeyParam); "如果同时设置了
   * TagKey和本参数，则本参数不生效" (All). errorCodes list `TagInfoNotExist` "Tag info not exist" without
   * saying when: the emulator answers it for a key the endpoint does not carry (the strict reading;
   * zpl untags only keys it has just read, and reads again when told so).
   */
  UntagResources(ctx, p) {
    const keys: string[] = p.TagKey ?? [];
    if (new Set(keys).size !== keys.length) fail('DuplicatedTagKey', 'The tag keys is duplicated.');
    if (keys.some((k) => tagKeyProblem(k, 'privatelink'))) fail('IllegalTagKeyParam', 'IllegalTagKeyParam');
    const found = endpoints(ctx, p);
    if (keys.length > 0 && found.some((ep) => keys.some((k) => !ep.tags.some((t) => t.Key === k))))
      fail('TagInfoNotExist', 'Tag info not exist');
    if (p.DryRun === true) fail('DryRunOperation', 'Request validation has been passed with DryRun flag set.');
    for (const ep of found) ep.tags = keys.length > 0 ? ep.tags.filter((t) => !keys.includes(t.Key)) : p.All === true ? [] : ep.tags;
    return {};
  },
};
