/**
 * Alibaba Cloud tag rules, read by the spec (so every accepted spec fits them) and by the
 * emulators (so a call that breaks them is refused as the real service refuses it).
 *
 * Sources (official OpenAPI metadata, test/reference/aliyun-openapi-meta):
 * - privatelink_2020-04-15.json TagResources Tag.N.Key: "最多支持20个标签键…最多支持64个字符，不能以
 *   `aliyun`和`acs:`开头，不能包含`http://`或者`https://`"; Tag.N.Value: "最多支持128个字符，不能以
 *   `aliyun`和`acs:`开头，不能包含`http://`或者`https://`"; errors MissingTagKeyParam,
 *   MissingTagValueParam, IllegalTagKeyParam, IllegalTagValueParam, QuotaExceed.TagsPerResource (400).
 *   CreateVpcEndpoint Tag.N states no rule of its own (maxItems 21); the same rules are assumed.
 * - ecs_2014-05-26.json CreateSecurityGroup Tag.N.Key: "N的取值范围：1~20…最多支持128个字符，不能以
 *   `aliyun`和`acs:`开头，不能包含`http://`或者`https://`"; Tag.N.Value: "最多支持128个字符，不能包含
 *   `http://`或者`https://`"; errors InvalidTagKey.Malformed, InvalidTagValue.Malformed (400),
 *   TagResources NumberExceed.Tags (400, "Valid : 20").
 */

export const TAG_LIMITS = {
  /** PrivateLink's key limit; ECS allows 128, so 64 fits both. */
  keyMax: 64,
  valueMax: 128,
  perResource: 20,
} as const;

export type TagVendor = 'privatelink' | 'ecs';

const RESERVED_PREFIX = /^(aliyun|acs:)/i;
const URL_SCHEME = /https?:\/\//i;

/** Why a key breaks the vendor's rules, or undefined when it fits. */
export function tagKeyProblem(key: string | undefined, vendor: TagVendor): string | undefined {
  if (!key) return 'the tag key is empty';
  const max = vendor === 'privatelink' ? TAG_LIMITS.keyMax : 128;
  if (key.length > max) return `tag keys are at most ${max} characters`;
  if (RESERVED_PREFIX.test(key)) return 'tag keys may not start with aliyun or acs: (reserved by Alibaba Cloud)';
  if (URL_SCHEME.test(key)) return 'tag keys may not contain http:// or https://';
  return undefined;
}

/**
 * Why a value breaks the vendor's rules, or undefined when it fits. An empty value is refused
 * for PrivateLink (MissingTagValueParam is in its metadata, though the Value description says it
 * may be empty: unverified, so zpl never sends one); ECS documents "允许为空字符串".
 */
export function tagValueProblem(value: string | undefined, vendor: TagVendor): string | undefined {
  if (value === undefined || value === '') return vendor === 'privatelink' ? 'the tag value is empty' : undefined;
  if (value.length > TAG_LIMITS.valueMax) return `tag values are at most ${TAG_LIMITS.valueMax} characters`;
  if (vendor === 'privatelink' && RESERVED_PREFIX.test(value)) return 'tag values may not start with aliyun or acs:';
  if (URL_SCHEME.test(value)) return 'tag values may not contain http:// or https://';
  return undefined;
}

/** The strictest of both vendors, for tags zpl writes on either resource. */
export function tagProblem(tag: { Key?: string; Value?: string }): string | undefined {
  return tagKeyProblem(tag.Key, 'privatelink') ?? tagValueProblem(tag.Value, 'privatelink') ?? tagValueProblem(tag.Value, 'ecs');
}
