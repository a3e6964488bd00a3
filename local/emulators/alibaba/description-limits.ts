import type { Product } from '../../../shared/aliyun/products.ts';
import type { Violation } from './metadata-rules.ts';

/**
 * Limits the official metadata states only in prose (a parameter's `description`), never as
 * schema data: the one table of them, each with its exact quote and where it is. The gateway
 * refuses a call that breaks one, as it does for the limits in `metadata-rules.ts`.
 * Sources: `test/reference/aliyun-openapi-meta/<file>` → `apis.<Action>.parameters[<Param>].schema.description`.
 */
export interface DescriptionLimit {
  product: Product;
  action: string;
  param: string;
  /** The description's words, verbatim. */
  quote: string;
  /** Metadata file (under test/reference/aliyun-openapi-meta/) or, for `byReference`, the module that enforces it. */
  source: string;
  /** The rule broken, or undefined when the value keeps it. Absent for a limit enforced elsewhere. */
  broken?: (value: unknown) => string | undefined;
  /** Enforced by another module (named in `source`), listed here so the table is complete. */
  byReference?: true;
}

const between = (min: number, max: number) => (v: unknown) =>
  typeof v === 'number' && (v < min || v > max) ? `between ${min} and ${max}` : undefined;

/** Names and descriptions: a length range; not starting with `http://`/`https://`. */
const text = (min: number, max: number, start?: RegExp) => (v: unknown) => {
  if (typeof v !== 'string') return undefined;
  const n = [...v].length;
  if (n < min || n > max) return `${min} to ${max} characters`;
  if (/^https?:\/\//i.test(v)) return 'not starting with http:// or https://';
  if (start && !start.test(v)) return `starting with ${start.source}`;
  return undefined;
};
const LETTER_OR_CHINESE = /^[\p{L}]/u;

/** A name of `min`–`max` characters, each one `allowed`. */
const name = (min: number, max: number, allowed: RegExp, what: string) => (v: unknown) => {
  if (typeof v !== 'string') return undefined;
  const n = [...v].length;
  if (n < min || n > max) return `${min} to ${max} characters`;
  return allowed.test(v) ? undefined : what;
};
const bytes = (max: number) => (v: unknown) => (typeof v === 'string' && Buffer.byteLength(v) > max ? `at most ${max} bytes` : undefined);
const ROLE_NAME = name(1, 64, /^[A-Za-z0-9.-]+$/, 'letters, digits, periods (.) and hyphens (-)');
const POLICY_NAME = name(1, 128, /^[A-Za-z0-9-]+$/, 'letters, digits and hyphens (-)');

export const DESCRIPTION_LIMITS: DescriptionLimit[] = [
  {
    product: 'Privatelink',
    action: 'ListVpcEndpoints',
    param: 'MaxResults',
    quote: '分页大小。取值范围：**1**~**50**。默认值：**50**。',
    source: 'privatelink_2020-04-15.json',
    broken: between(1, 50),
  },
  {
    product: 'Privatelink',
    action: 'ListVpcEndpointServicesByEndUser',
    param: 'MaxResults',
    quote: '分批次查询时每次显示的条目数。取值范围：**1**~**50**，默认值：**50**。',
    source: 'privatelink_2020-04-15.json',
    broken: between(1, 50),
  },
  {
    product: 'Privatelink',
    action: 'ListVpcEndpointZones',
    param: 'MaxResults',
    quote: '分批次查询时每次显示的条目数。取值范围：**1**~**50**，默认值：**50**。',
    source: 'privatelink_2020-04-15.json',
    broken: between(1, 50),
  },
  {
    product: 'Ecs',
    action: 'DescribeSecurityGroups',
    param: 'PageSize',
    quote: '最大值为50。',
    source: 'ecs_2014-05-26.json',
    broken: between(1, 50),
  },
  {
    product: 'Privatelink',
    action: 'CreateVpcEndpoint',
    param: 'EndpointName',
    quote: '长度为2~128个字符，以英文字母或中文开头，可包含数字、短划线（-）和下划线（_）。',
    source: 'privatelink_2020-04-15.json',
    broken: text(2, 128, LETTER_OR_CHINESE),
  },
  {
    product: 'Privatelink',
    action: 'CreateVpcEndpoint',
    param: 'EndpointDescription',
    quote: '描述长度为2~256个字符，开头不能为`http://`和`https://`。',
    source: 'privatelink_2020-04-15.json',
    broken: text(2, 256),
  },
  {
    product: 'Ecs',
    action: 'CreateSecurityGroup',
    param: 'SecurityGroupName',
    quote: '长度为2~128个字符，必须以大小写字母或中文开头，不能以`http://`和`https://`开头。',
    source: 'ecs_2014-05-26.json',
    broken: text(2, 128, LETTER_OR_CHINESE),
  },
  {
    product: 'Ecs',
    action: 'CreateSecurityGroup',
    param: 'Description',
    quote: '长度为2~256个英文或中文字符，不能以`http://`和`https://`开头。',
    source: 'ecs_2014-05-26.json',
    broken: text(2, 256),
  },
  // Limits enforced by their own modules (kept there; listed so this table names every prose limit).
  {
    product: 'Ecs',
    action: 'AuthorizeSecurityGroup',
    param: 'Permissions',
    quote: 'N的取值范围：1~100',
    source: 'metadata maxItems 100 (metadata-rules.ts) and ecs/handlers.ts (InvalidParam.DuplicatePermissions, InvalidParam.Permissions)',
    byReference: true,
  },
  {
    product: 'pvtz',
    action: 'UpdateZoneRemark',
    param: 'Remark',
    quote: '最多50个字符，只能包含数字、字母、中文、_ - , . ，。',
    source: 'pvtz/handlers.ts (Zone.Remark)',
    byReference: true,
  },
  {
    product: 'Ecs',
    action: 'TagResources',
    param: 'ResourceId',
    quote: '资源ID。N的取值范围为：1~50',
    source: 'ecs/tags.ts (NumberExceed.ResourceIds, the vendor code; the metadata says maxItems 51)',
    byReference: true,
  },
  {
    product: 'Ecs',
    action: 'TagResources',
    param: 'Tag',
    quote: 'Tag.N.Key: N的取值范围：1~20',
    source: 'tag-checks.ts checkEcsTags (NumberExceed.Tags) and checkEcsTagCount (20 a resource)',
    byReference: true,
  },
  {
    product: 'Ecs',
    action: 'UntagResources',
    param: 'ResourceId',
    quote: '资源ID列表。可输入最多50个资源ID。',
    source: 'ecs/tags.ts (NumberExceed.ResourceIds)',
    byReference: true,
  },
  {
    product: 'Ecs',
    action: 'UntagResources',
    param: 'TagKey',
    quote: '资源的标签键列表。可输入最多20个标签键。',
    source: 'ecs/tags.ts (NumberExceed.Tags)',
    byReference: true,
  },
  {
    product: 'Privatelink',
    action: 'UntagResources',
    param: 'ResourceId',
    quote: '资源ID列表。最多支持50个资源ID。',
    source: 'the catalog list bound (shared/aliyun/catalog/privatelink.ts, refused by wire-params.ts)',
    byReference: true,
  },
  {
    product: 'Privatelink',
    action: 'UntagResources',
    param: 'TagKey',
    quote: '要解绑的标签键列表。最多支持20个标签键。',
    source: 'the catalog list bound (shared/aliyun/catalog/privatelink.ts, refused by wire-params.ts)',
    byReference: true,
  },
  {
    product: 'Privatelink',
    action: 'TagResources',
    param: 'Tag',
    quote: 'Tag key at most 64 characters, value at most 128',
    source: 'privatelink.ts TagResources / the tag-rules module',
    byReference: true,
  },
  // RAM: names and documents (ram_2015-05-01.json states them only in prose).
  ...(['CreateRole', 'UpdateRole', 'GetRole'] as const).map((action) => ({
    product: 'Ram' as const,
    action,
    param: 'RoleName',
    quote: `长度为1~64个字符，可包含英文字母、数字、${action === 'GetRole' ? '点号' : '半角句号'}（.）和短划线（-）。`,
    source: 'ram_2015-05-01.json',
    broken: ROLE_NAME,
  })),
  {
    product: 'Ram',
    action: 'CreatePolicy',
    param: 'PolicyName',
    quote: '长度为1~128个字符，可包含英文字母、数字和短划线（-）。',
    source: 'ram_2015-05-01.json',
    broken: POLICY_NAME,
  },
  {
    product: 'Ram',
    action: 'CreatePolicy',
    param: 'PolicyDocument',
    quote: '长度为1~6144个字符。',
    source: 'ram_2015-05-01.json',
    broken: text(1, 6144),
  },
  {
    product: 'Ram',
    action: 'CreatePolicyVersion',
    param: 'PolicyDocument',
    quote: '权限策略内容，最大长度6144字节。',
    source: 'ram_2015-05-01.json',
    broken: bytes(6144),
  },
  {
    product: 'Ram',
    action: 'CreateRole',
    param: 'Description',
    quote: '长度为1~1024个字符。',
    source: 'ram_2015-05-01.json',
    broken: text(1, 1024),
  },
];

/** Every prose limit the decoded parameters of `product`'s `action` break. */
export function descriptionViolations(product: string, action: string, values: Record<string, unknown>): Violation[] {
  const out: Violation[] = [];
  for (const limit of DESCRIPTION_LIMITS) {
    if (limit.product !== product || limit.action !== action || !limit.broken) continue;
    const rule = limit.broken(values[limit.param]);
    if (rule) out.push({ param: limit.param, rule });
  }
  return out;
}
