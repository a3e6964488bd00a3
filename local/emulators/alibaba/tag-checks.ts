import { tagKeyProblem, tagValueProblem, TAG_LIMITS } from '../../../shared/tag-rules.ts';
import { fail } from './handler.ts';

/** The vendors' tag rules (shared/tag-rules.ts, with their metadata quotes) answered with each vendor's codes. */

type RawTag = { Key?: string; Value?: string };

/** PrivateLink TagResources / CreateVpcEndpoint: codes from privatelink_2020-04-15.json TagResources errorCodes (all 400). */
export function checkPrivateLinkTags(tags: RawTag[]): void {
  if (tags.some((t) => !t.Key)) fail('MissingTagKeyParam', 'The tag key is empty.');
  if (tags.some((t) => !t.Value)) fail('MissingTagValueParam', 'The tag value is empty.');
  if (tags.some((t) => tagKeyProblem(t.Key, 'privatelink'))) fail('IllegalTagKeyParam', 'IllegalTagKeyParam');
  if (tags.some((t) => tagValueProblem(t.Value, 'privatelink'))) fail('IllegalTagValueParam', 'The tag value is Illegal.');
  if (new Set(tags.map((t) => t.Key)).size !== tags.length) fail('DuplicatedTagKey', 'The tag keys is duplicated.');
}

/** Tags a resource would hold after a call; more than 20 is QuotaExceed.TagsPerResource (PrivateLink). */
export function checkPrivateLinkTagCount(count: number): void {
  if (count > TAG_LIMITS.perResource) fail('QuotaExceed.TagsPerResource', 'The maximum number of tags for each resource is exceeded');
}

/** ECS CreateSecurityGroup: codes from ecs_2014-05-26.json CreateSecurityGroup / TagResources errorCodes. */
export function checkEcsTags(tags: RawTag[]): void {
  // Tag.N "N的取值范围：1~20"; TagResources answers NumberExceed.Tags "Valid : 20" (400).
  if (tags.length > TAG_LIMITS.perResource) fail('NumberExceed.Tags', "The Tags parameter's number is exceed , Valid : 20.");
  if (new Set(tags.map((t) => t.Key)).size !== tags.length) fail('Duplicate.TagKey', 'The Tag.N.Key contain duplicate key.');
  if (tags.some((t) => tagKeyProblem(t.Key, 'ecs'))) fail('InvalidTagKey.Malformed', 'Specified tag key is not valid.');
  if (tags.some((t) => tagValueProblem(t.Value, 'ecs'))) fail('InvalidTagValue.Malformed', 'Specified tag value is not valid.');
}

/**
 * Tags a security group would hold after TagResources; more than 20 is refused. ECS "绑定标签前，阿里云会校验
 * 资源已有标签数量。超过限制值后返回报错信息" (ecs_2014-05-26.json TagResources description; the limit is
 * CreateSecurityGroup's Tag.N "1~20"). Which of its quota codes answers is not stated; the emulator
 * uses OperationDenied.QuotaExceed (400, "The quota of tags on resource is beyond permitted range.").
 */
export function checkEcsTagCount(count: number): void {
  if (count > TAG_LIMITS.perResource) fail('OperationDenied.QuotaExceed', 'The quota of tags on resource is beyond permitted range.');
}

/** A resource's tags after TagResources: a key it has gets the new value; `checkCount` refuses more than the product allows. */
export function mergeTags(have: { Key: string; Value: string }[], tags: RawTag[], checkCount: (n: number) => void) {
  const merged = new Map(have.map((t) => [t.Key, t.Value]));
  for (const t of tags) merged.set(t.Key!, t.Value ?? '');
  checkCount(merged.size);
  return [...merged].map(([Key, Value]) => ({ Key, Value }));
}
