import { onFirstUse } from '../../first-use.ts';
import * as z from 'zod/mini';
import { ClientToken, DryRun, Region, int, list, objects, requestOnly, str, type ActionDef } from './index.ts';

/** PrivateLink 2020-04-15 (bare arrays). */

const tagList = () => z.array(z.object({ Key: z.string(), Value: z.string() }));

const endpointSummary = () =>
  z.object({
    EndpointId: z.string(),
    EndpointName: z.optional(z.string()),
    EndpointStatus: z.string(),
    ConnectionStatus: z.string(),
    EndpointDomain: z.string(),
    ServiceId: z.string(),
    ServiceName: z.string(),
    VpcId: z.string(),
  });

export const PRIVATELINK = {
  ListVpcEndpointServicesByEndUser: {
    write: false,
    params: [Region, str('ServiceId'), str('ServiceName'), str('NextToken'), int('MaxResults')],
    response: /* @__PURE__ */ onFirstUse(() =>
      z.object({
        RequestId: z.string(),
        NextToken: z.optional(z.string()),
        Services: z.array(
          z.object({ ServiceId: z.string(), ServiceName: z.string(), ServiceDomain: z.string(), Zones: z.array(z.string()) }),
        ),
      }),
    ),
  },
  CreateVpcEndpoint: {
    write: true,
    params: [
      Region,
      str('VpcId', true),
      ClientToken,
      DryRun,
      str('EndpointName'),
      str('EndpointType'),
      str('EndpointDescription'),
      str('ServiceId'),
      str('ServiceName'),
      list('SecurityGroupId', 'string', 10),
      objects('Zone', { ZoneId: 'string', VSwitchId: 'string', ip: 'string' }, 10),
      objects('Tag', { Key: 'string', Value: 'string' }, 21),
      int('ZonePrivateIpAddressCount'),
    ],
    response: /* @__PURE__ */ onFirstUse(() =>
      z.object({
        RequestId: z.string(),
        EndpointId: z.string(),
        EndpointDomain: z.string(),
        EndpointStatus: z.string(),
        ConnectionStatus: z.string(),
      }),
    ),
  },
  GetVpcEndpointAttribute: {
    write: false,
    params: [Region, str('EndpointId', true)],
    response: /* @__PURE__ */ onFirstUse(() => z.extend(endpointSummary(), { RequestId: z.string() })),
  },
  ListVpcEndpoints: {
    write: false,
    params: [
      Region,
      str('EndpointId'),
      str('EndpointName'),
      str('VpcId'),
      str('ServiceName'),
      str('NextToken'),
      int('MaxResults'),
      objects('Tag', { Key: 'string', Value: 'string' }, 20),
    ],
    response: /* @__PURE__ */ onFirstUse(() =>
      z.object({
        RequestId: z.string(),
        NextToken: z.optional(z.string()),
        Endpoints: z.array(z.extend(endpointSummary(), { Tags: z.optional(tagList()) })),
      }),
    ),
  },
  ListVpcEndpointZones: {
    write: false,
    params: [Region, str('EndpointId', true), str('NextToken'), int('MaxResults')],
    response: /* @__PURE__ */ onFirstUse(() =>
      z.object({
        RequestId: z.string(),
        NextToken: z.optional(z.string()),
        Zones: z.array(
          z.object({ ZoneId: z.string(), ZoneStatus: z.string(), ZoneDomain: z.string(), EniIp: z.string(), VSwitchId: z.string() }),
        ),
      }),
    ),
  },
  /** The security groups an endpoint is in (privatelink_2020-04-15.json ListVpcEndpointSecurityGroups; MaxResults 1~50). */
  ListVpcEndpointSecurityGroups: {
    write: false,
    params: [Region, str('EndpointId', true), str('NextToken'), int('MaxResults')],
    response: /* @__PURE__ */ onFirstUse(() =>
      z.object({
        RequestId: z.string(),
        NextToken: z.optional(z.string()),
        SecurityGroups: z.array(z.object({ SecurityGroupId: z.string() })),
      }),
    ),
  },
  TagResources: {
    write: true,
    params: [
      { name: 'RegionId', type: 'string', required: true, in: 'body' },
      { name: 'ResourceId', type: 'list', items: 'string', required: true, max: 50, in: 'body' },
      { name: 'ResourceType', type: 'string', required: true, in: 'body' },
      { name: 'Tag', type: 'objectList', fields: { Key: 'string', Value: 'string' }, required: true, max: 20, in: 'body' },
      { name: 'ClientToken', type: 'string', in: 'body' },
    ],
    response: /* @__PURE__ */ onFirstUse(() => requestOnly),
  },
  // privatelink_2020-04-15.json UntagResources: no maxItems; "最多支持50个资源ID" / "最多支持20个标签键".
  UntagResources: {
    write: true,
    params: [
      { name: 'RegionId', type: 'string', required: true, in: 'body' },
      { name: 'ResourceId', type: 'list', items: 'string', required: true, max: 50, in: 'body' },
      { name: 'ResourceType', type: 'string', required: true, in: 'body' },
      { name: 'TagKey', type: 'list', items: 'string', max: 20, in: 'body' },
      { name: 'All', type: 'boolean', in: 'body' },
      { name: 'DryRun', type: 'boolean', in: 'body' },
      { name: 'ClientToken', type: 'string', in: 'body' },
    ],
    response: /* @__PURE__ */ onFirstUse(() => requestOnly),
  },
  AddZoneToVpcEndpoint: {
    write: true,
    params: [Region, str('EndpointId', true), str('ZoneId', true), str('VSwitchId', true), str('ip'), ClientToken, DryRun],
    response: /* @__PURE__ */ onFirstUse(() => requestOnly),
  },
  RemoveZoneFromVpcEndpoint: {
    write: true,
    params: [Region, str('EndpointId', true), str('ZoneId', true), ClientToken, DryRun],
    response: /* @__PURE__ */ onFirstUse(() => requestOnly),
  },
  DeleteVpcEndpoint: {
    write: true,
    params: [Region, str('EndpointId', true), ClientToken, DryRun],
    response: /* @__PURE__ */ onFirstUse(() => requestOnly),
  },

  /**
   * Whether PrivateLink is activated for the account. No parameters, not even RegionId
   * (privatelink_2020-04-15.json CheckProductOpen: `parameters: []`); `Success` "仅取值：**true**，
   * 表示开通" and errorCodes["400"] `NeedOpenProduct` "The product is not activated.".
   */
  CheckProductOpen: {
    write: false,
    params: [],
    response: /* @__PURE__ */ onFirstUse(() => z.object({ RequestId: z.string(), Success: z.optional(z.boolean()) })),
  },
} satisfies Record<string, ActionDef>;
