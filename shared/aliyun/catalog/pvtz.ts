import { onFirstUse } from '../../first-use.ts';
import * as z from 'zod/mini';
import { ClientToken, int, objects, paging, requestOnly, str, type ActionDef } from './index.ts';

/** PrivateZone 2018-01-01 (wrapped arrays; one global endpoint). */

const pvtzZone = () =>
  z.object({
    ZoneId: z.string(),
    ZoneName: z.string(),
    ProxyPattern: z.string(),
    RecordCount: z.number(),
    Remark: z.optional(z.string()),
    // Which of two same-name zones is older (DescribeZones Zones.Zone CreateTimestamp, int64 ms, pvtz metadata).
    CreateTimestamp: z.optional(z.number()),
  });

const pvtzRecord = () =>
  z.object({
    RecordId: z.number(),
    Rr: z.string(),
    Type: z.string(),
    Value: z.string(),
    Ttl: z.number(),
    Status: z.string(),
    Remark: z.optional(z.string()),
  });

export const PVTZ = {
  /**
   * PrivateZone's activation state for the account. Not in the official metadata (pvtz 2018-01-01
   * api-docs.json lists no such action); from the official SDK: aliyun/alibabacloud-java-sdk
   * pvtz-20180101 models DescribeUserServiceStatusRequest (Lang, UserClientIp, both optional) and
   * DescribeUserServiceStatusResponseBody (`Status`: CLOSED not activated, OPENED, IN_DEBT overdue
   * payment, IN_DEBT_OVER_DUE suspended for overdue payment).
   */
  DescribeUserServiceStatus: {
    write: false,
    params: [str('Lang')],
    response: /* @__PURE__ */ onFirstUse(() => z.object({ RequestId: z.string(), Status: z.string() })),
    notInMetadata:
      'aliyun/alibabacloud-java-sdk pvtz-20180101/src/main/java/com/aliyun/pvtz20180101/models/DescribeUserServiceStatusResponseBody.java',
  },
  DescribeZones: {
    write: false,
    params: [str('Keyword'), str('SearchMode'), str('QueryVpcId'), str('QueryRegionId'), int('PageNumber'), int('PageSize'), str('Lang')],
    response: /* @__PURE__ */ onFirstUse(() =>
      z.object({ RequestId: z.string(), TotalItems: z.number(), ...paging, Zones: z.object({ Zone: z.array(pvtzZone()) }) }),
    ),
  },
  AddZone: {
    write: true,
    params: [str('ZoneName'), str('ProxyPattern'), ClientToken, str('Lang')],
    response: /* @__PURE__ */ onFirstUse(() => z.object({ RequestId: z.string(), ZoneId: z.string(), ZoneName: z.string() })),
  },
  DescribeZoneInfo: {
    write: false,
    params: [str('ZoneId', true), str('Lang')],
    response: /* @__PURE__ */ onFirstUse(() =>
      z.extend(pvtzZone(), {
        RequestId: z.string(),
        // VpcType and VpcUserId (int64, null = the caller's own VPC): DescribeZoneInfo BindVpcs.Vpc, pvtz metadata.
        BindVpcs: z.object({
          Vpc: z.array(
            z.object({
              VpcId: z.string(),
              RegionId: z.string(),
              VpcType: z.optional(z.string()),
              VpcUserId: z.optional(z.nullable(z.union([z.number(), z.string()]))),
            }),
          ),
        }),
      }),
    ),
  },
  UpdateZoneRemark: {
    write: true,
    params: [str('ZoneId', true), str('Remark'), ClientToken],
    response: /* @__PURE__ */ onFirstUse(() => requestOnly),
  },
  SetProxyPattern: {
    write: true,
    params: [str('ZoneId', true), str('ProxyPattern', true), ClientToken],
    response: /* @__PURE__ */ onFirstUse(() => requestOnly),
  },
  AddZoneRecord: {
    write: true,
    params: [
      str('ZoneId', true),
      str('Rr', true),
      str('Type', true),
      str('Value', true),
      int('Ttl'),
      str('Remark'),
      ClientToken,
      str('Lang'),
    ],
    response: /* @__PURE__ */ onFirstUse(() => z.object({ RequestId: z.string(), RecordId: z.number() })),
  },
  DescribeZoneRecords: {
    write: false,
    params: [str('ZoneId', true), str('Keyword'), str('SearchMode'), int('PageNumber'), int('PageSize'), str('Lang')],
    response: /* @__PURE__ */ onFirstUse(() =>
      z.object({ RequestId: z.string(), TotalItems: z.number(), ...paging, Records: z.object({ Record: z.array(pvtzRecord()) }) }),
    ),
  },
  UpdateZoneRecord: {
    write: true,
    params: [int('RecordId', true), str('Rr', true), str('Type', true), str('Value', true), int('Ttl'), ClientToken],
    response: /* @__PURE__ */ onFirstUse(() => requestOnly),
  },
  SetZoneRecordStatus: {
    write: true,
    params: [int('RecordId', true), str('Status', true), ClientToken],
    response: /* @__PURE__ */ onFirstUse(() => requestOnly),
  },
  /** A record's remark: zpl's ownership mark on a record someone else made and zpl adopted (pvtz metadata, UpdateRecordRemark). */
  UpdateRecordRemark: {
    write: true,
    params: [int('RecordId', true), str('Remark'), ClientToken],
    response: /* @__PURE__ */ onFirstUse(() => requestOnly),
  },
  DeleteZoneRecord: {
    write: true,
    params: [int('RecordId', true), ClientToken],
    response: /* @__PURE__ */ onFirstUse(() => requestOnly),
  },
  BindZoneVpc: {
    write: true,
    params: [str('ZoneId', true), objects('Vpcs', { RegionId: 'string', VpcId: 'string', VpcType: 'string' }), ClientToken],
    response: /* @__PURE__ */ onFirstUse(() => requestOnly),
  },
  DeleteZone: {
    write: true,
    params: [str('ZoneId', true), ClientToken],
    response: /* @__PURE__ */ onFirstUse(() => requestOnly),
  },
} satisfies Record<string, ActionDef>;
