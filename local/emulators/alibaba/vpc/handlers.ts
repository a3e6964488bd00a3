import { type Handler, type HandlerContext, type Params, fail, iso, pageByNumber } from '../handler.ts';

/** VPC 2016-04-28 reads. `Forbidden.VpcNotFound` is the not-found code the metadata lists. */

function ownVpc(ctx: HandlerContext, p: Params) {
  return ctx.world.vpc.scoped(ctx.accountId, p.RegionId).vpc(p.VpcId) ?? fail('Forbidden.VpcNotFound', 'The specified VPC does not exist.');
}

export const vpcHandlers: Record<string, Handler> = {
  DescribeVpcAttribute(ctx, p) {
    const vpc = ownVpc(ctx, p);
    return {
      VpcId: vpc.vpcId,
      VpcName: vpc.vpcId,
      RegionId: vpc.regionId,
      Status: 'Available',
      CidrBlock: vpc.cidrBlock,
      SecondaryCidrBlocks: { SecondaryCidrBlock: [...vpc.secondaryCidrBlocks] },
      UserCidrs: { UserCidr: [] },
      VSwitchIds: { VSwitchId: vpc.vSwitches.map((v) => v.vSwitchId) },
      IsDefault: false,
      Description: '',
      CreationTime: iso(0),
      OwnerId: Number(vpc.accountId),
      VRouterId: `vrt-${vpc.vpcId.slice(4)}`,
    };
  },

  DescribeVSwitches(ctx, p) {
    if (p.VpcId) ownVpc(ctx, p);
    const all = ctx.world.vpc
      .scoped(ctx.accountId, p.RegionId)
      .vpcs()
      .filter((vpc) => !p.VpcId || vpc.vpcId === p.VpcId)
      .flatMap((vpc) => vpc.vSwitches);
    const matches = all.filter((v) => (!p.ZoneId || v.zoneId === p.ZoneId) && (!p.VSwitchId || v.vSwitchId === p.VSwitchId));
    if (p.VSwitchId && matches.length === 0) fail('InvalidVSwitchId.NotFound', 'The specified VSwitch does not exist.', 404);
    const { page, pageNumber, pageSize, total } = pageByNumber(matches, p, 10, 50);
    return {
      VSwitches: {
        VSwitch: page.map((v) => ({
          VSwitchId: v.vSwitchId,
          VSwitchName: v.vSwitchId,
          VpcId: v.vpcId,
          ZoneId: v.zoneId,
          CidrBlock: v.cidrBlock,
          Status: 'Available',
          AvailableIpAddressCount: v.availableIps,
          IsDefault: false,
          Description: '',
          CreationTime: iso(0),
          ShareType: 'Sharing',
          Tags: { Tag: [] },
        })),
      },
      TotalCount: total,
      PageNumber: pageNumber,
      PageSize: pageSize,
    };
  },
};
