import { onFirstUse } from '../../first-use.ts';
import * as z from 'zod/mini';
import { ClientToken, Region, bool, int, objects, requestOnly, str, type ActionDef } from './index.ts';

/** ECS 2014-05-26 security groups (wrapped arrays) and tags. */

const sgRule = () =>
  z.object({
    IpProtocol: z.string(),
    PortRange: z.string(),
    SourceCidrIp: z.string(),
    Policy: z.string(),
    Direction: z.string(),
    NicType: z.string(),
    Priority: z.string(),
    Description: z.optional(z.string()),
    // What RevokeSecurityGroup names a rule by ("通过指定安全组规则ID参数方式删除规则（推荐）", metadata).
    SecurityGroupRuleId: z.string(),
  });

/** A rule's fields in `Permissions.N` (Authorize- and RevokeSecurityGroup; the metadata's item properties). */
const PERMISSION = {
  IpProtocol: 'string',
  PortRange: 'string',
  SourceCidrIp: 'string',
  Policy: 'string',
  Priority: 'string',
  NicType: 'string',
  Description: 'string',
} as const;

export const ECS = {
  CreateSecurityGroup: {
    write: true,
    params: [
      Region,
      str('VpcId'),
      str('SecurityGroupName'),
      str('Description'),
      str('SecurityGroupType'),
      ClientToken,
      objects('Tag', { Key: 'string', Value: 'string' }, 20),
    ],
    response: /* @__PURE__ */ onFirstUse(() => z.object({ RequestId: z.string(), SecurityGroupId: z.string() })),
  },
  AuthorizeSecurityGroup: {
    write: true,
    params: [
      Region,
      str('SecurityGroupId', true),
      ClientToken,
      objects('Permissions', PERMISSION, 100),
      // Deprecated single-rule fields: known so they can be refused when mixed with Permissions.
      ...Object.keys(PERMISSION).map((name) => str(name)),
    ],
    response: /* @__PURE__ */ onFirstUse(() => requestOnly),
  },
  DescribeSecurityGroupAttribute: {
    write: false,
    params: [Region, str('SecurityGroupId', true), str('Direction'), str('NicType')],
    response: /* @__PURE__ */ onFirstUse(() =>
      z.object({
        RequestId: z.string(),
        SecurityGroupId: z.string(),
        VpcId: z.string(),
        Permissions: z.object({ Permission: z.array(sgRule()) }),
      }),
    ),
  },
  DescribeSecurityGroups: {
    write: false,
    params: [
      Region,
      str('VpcId'),
      str('SecurityGroupId'),
      str('SecurityGroupIds'),
      str('SecurityGroupName'),
      objects('Tag', { Key: 'string', Value: 'string' }, 20),
      // The product pages with NextToken/MaxResults; PageNumber/PageSize ("即将下线") stay known for the emulator.
      str('NextToken'),
      int('MaxResults'),
      int('PageNumber'),
      int('PageSize'),
    ],
    // No TotalCount/PageNumber/PageSize: whether a NextToken-paged answer carries them is not documented.
    response: /* @__PURE__ */ onFirstUse(() =>
      z.object({
        RequestId: z.string(),
        NextToken: z.optional(z.string()),
        SecurityGroups: z.object({
          SecurityGroup: z.array(
            z.object({
              SecurityGroupId: z.string(),
              SecurityGroupName: z.string(),
              VpcId: z.string(),
              // "yyyy-MM-ddThh:mmZ" (metadata): which of two groups is older, when a sweep must keep one.
              CreationTime: z.string(),
              Tags: z.object({ Tag: z.array(z.object({ TagKey: z.string(), TagValue: z.string() })) }),
            }),
          ),
        }),
      }),
    ),
  },
  /**
   * ecs_2014-05-26.json RevokeSecurityGroup: rules named by `SecurityGroupRuleId.N` (recommended,
   * N 1~100) or described by `Permissions.N`; the two are not mixed ("不支持设置安全组规则ID和其它不带
   * Permissions.N前缀的参数"). zpl sends rule IDs only; the other fields are known so the emulator can
   * refuse a mix.
   */
  RevokeSecurityGroup: {
    write: true,
    params: [
      Region,
      str('SecurityGroupId', true),
      ClientToken,
      { name: 'SecurityGroupRuleId', type: 'list', items: 'string', max: 100 },
      objects('Permissions', { ...PERMISSION, SourceGroupId: 'string' }, 100),
      ...['IpProtocol', 'PortRange', 'SourceCidrIp', 'Policy', 'NicType'].map((name) => str(name)),
    ],
    response: /* @__PURE__ */ onFirstUse(() => requestOnly),
  },
  DeleteSecurityGroup: {
    write: true,
    params: [Region, str('SecurityGroupId', true)],
    response: /* @__PURE__ */ onFirstUse(() => requestOnly),
  },

  // ecs_2014-05-26.json TagResources: all in the query (PrivateLink's go in the form body); `max`
  // is its maxItems, 51 and 21, though its descriptions say "N的取值范围为：1~50" and 1~20.
  TagResources: {
    write: true,
    params: [
      Region,
      str('ResourceType', true),
      { name: 'ResourceId', type: 'list', items: 'string', required: true, max: 51 },
      { name: 'Tag', type: 'objectList', fields: { Key: 'string', Value: 'string' }, required: true, max: 21 },
    ],
    response: /* @__PURE__ */ onFirstUse(() => requestOnly),
  },
  // ecs_2014-05-26.json UntagResources: likewise maxItems 51 and 21, against "可输入最多50个资源ID" / "最多20个标签键".
  UntagResources: {
    write: true,
    params: [
      Region,
      str('ResourceType', true),
      bool('All'),
      { name: 'ResourceId', type: 'list', items: 'string', required: true, max: 51 },
      { name: 'TagKey', type: 'list', items: 'string', max: 21 },
    ],
    response: /* @__PURE__ */ onFirstUse(() => requestOnly),
  },
} satisfies Record<string, ActionDef>;
