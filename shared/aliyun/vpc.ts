import { allByPage } from '../paging.ts';
import type { AliyunTransport } from './rpc.ts';
import { VPC } from './catalog/vpc.ts';

/** VPC 2016-04-28 reads: the VPC's CIDR blocks and its vSwitches per zone. */
export class VpcApi {
  constructor(
    private readonly rpc: AliyunTransport,
    private readonly region: string,
  ) {
    rpc.use('Vpc', VPC);
  }

  describeVpc(vpcId: string) {
    return this.rpc.call('Vpc', 'DescribeVpcAttribute', this.region, { RegionId: this.region, VpcId: vpcId });
  }

  /** Every CIDR block of the VPC, primary first. */
  async cidrBlocks(vpcId: string): Promise<string[]> {
    const vpc = await this.describeVpc(vpcId);
    return [vpc.CidrBlock, ...vpc.SecondaryCidrBlocks.SecondaryCidrBlock];
  }

  vSwitches(vpcId: string, zoneId?: string) {
    return allByPage(async (PageNumber) => {
      const r = await this.rpc.call('Vpc', 'DescribeVSwitches', this.region, {
        RegionId: this.region,
        VpcId: vpcId,
        ZoneId: zoneId,
        PageNumber,
        PageSize: 50,
      });
      return { items: r.VSwitches.VSwitch, total: r.TotalCount };
    });
  }
}
