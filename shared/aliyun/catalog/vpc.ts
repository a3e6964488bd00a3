import { onFirstUse } from '../../first-use.ts';
import * as z from 'zod/mini';
import { Region, int, paging, str, type ActionDef } from './index.ts';

/** VPC 2016-04-28 reads (wrapped arrays). */
export const VPC = {
  DescribeVpcAttribute: {
    write: false,
    params: [Region, str('VpcId', true)],
    response: /* @__PURE__ */ onFirstUse(() =>
      z.object({
        RequestId: z.string(),
        VpcId: z.string(),
        Status: z.string(),
        CidrBlock: z.string(),
        SecondaryCidrBlocks: z.object({ SecondaryCidrBlock: z.array(z.string()) }),
      }),
    ),
  },
  DescribeVSwitches: {
    write: false,
    params: [str('RegionId'), str('VpcId'), str('ZoneId'), str('VSwitchId'), int('PageNumber'), int('PageSize')],
    response: /* @__PURE__ */ onFirstUse(() =>
      z.object({
        RequestId: z.string(),
        TotalCount: z.number(),
        ...paging,
        VSwitches: z.object({
          VSwitch: z.array(
            z.object({
              VSwitchId: z.string(),
              VpcId: z.string(),
              ZoneId: z.string(),
              CidrBlock: z.string(),
              Status: z.string(),
              AvailableIpAddressCount: z.number(),
            }),
          ),
        }),
      }),
    ),
  },
} satisfies Record<string, ActionDef>;
