import { addressInCidr } from '../../ids.ts';

export interface VSwitch {
  vSwitchId: string;
  vpcId: string;
  zoneId: string;
  cidrBlock: string;
  availableIps: number;
  nextHost: number;
}

export interface Vpc {
  vpcId: string;
  regionId: string;
  accountId: string;
  cidrBlock: string;
  secondaryCidrBlocks: string[];
  vSwitches: VSwitch[];
  /** STANDARD, or EDS for a cloud-desktop workspace VPC (PrivateZone BindZoneVpc `Vpcs.N.VpcType`). */
  vpcType: 'STANDARD' | 'EDS';
}

/** VPC's records: the VPCs with their vSwitches, and the addresses handed out in them. */
export class VpcModel {
  readonly vpcs = new Map<string, Vpc>();

  /** The caller's view. VPC's reads take RegionId as optional: without one, every region of the account. */
  scoped(accountId: string, regionId: string | undefined) {
    const mine = (vpc: Vpc) => vpc.accountId === accountId && (!regionId || vpc.regionId === regionId);
    return {
      /** The caller's VPC, or undefined (another account's or region's is not found). */
      vpc: (vpcId: string | undefined): Vpc | undefined => {
        const vpc = vpcId === undefined ? undefined : this.vpcs.get(vpcId);
        return vpc && mine(vpc) ? vpc : undefined;
      },
      vpcs: (): Vpc[] => [...this.vpcs.values()].filter(mine),
    };
  }

  findVSwitch(vSwitchId: string): VSwitch | undefined {
    for (const vpc of this.vpcs.values()) {
      const found = vpc.vSwitches.find((v) => v.vSwitchId === vSwitchId);
      if (found) return found;
    }
    return undefined;
  }

  /** Allocates the next ENI address in a vSwitch. */
  allocateIp(vSwitch: VSwitch): string {
    vSwitch.availableIps -= 1;
    return addressInCidr(vSwitch.cidrBlock, vSwitch.nextHost++);
  }
}
