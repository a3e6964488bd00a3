import { IdFactory } from '../../ids.ts';
import type { Tag } from '../handler.ts';

export interface SecurityGroupRule {
  /** `sgr-…`: what DescribeSecurityGroupAttribute answers and RevokeSecurityGroup takes (ecs_2014-05-26.json). */
  SecurityGroupRuleId: string;
  IpProtocol: string;
  PortRange: string;
  SourceCidrIp: string;
  Policy: string;
  Priority: string;
  NicType: string;
  Description: string;
  Direction: 'ingress';
  CreateTime: string;
}

export interface SecurityGroup {
  securityGroupId: string;
  regionId: string;
  vpcId: string;
  accountId: string;
  name: string;
  description: string;
  tags: Tag[];
  rules: SecurityGroupRule[];
  createdAt: number;
}

/** ECS's security groups. */
export class EcsModel {
  readonly securityGroups = new Map<string, SecurityGroup>();
  /** Rule IDs from a counter of their own, so adding rules never shifts the other resources' IDs. */
  private readonly ruleIds = new IdFactory('zpl-emulator:sgr');

  /** `attached`: whether a network interface (another product's) still holds the group. */
  constructor(private readonly attached: (securityGroupId: string) => boolean) {}

  /** The caller's view: account and region are checked here once, not in each handler. */
  scoped(accountId: string, regionId: string) {
    const mine = (sg: SecurityGroup) => sg.accountId === accountId && sg.regionId === regionId;
    return {
      /** The caller's group in the region, or undefined (another account's or region's is not found). */
      group: (securityGroupId: string | undefined): SecurityGroup | undefined => {
        const sg = securityGroupId === undefined ? undefined : this.securityGroups.get(securityGroupId);
        return sg && mine(sg) ? sg : undefined;
      },
      groups: (): SecurityGroup[] => [...this.securityGroups.values()].filter(mine),
    };
  }

  /** A rule as ECS stores it: with an ID of its own. */
  rule(fields: Omit<SecurityGroupRule, 'SecurityGroupRuleId'>): SecurityGroupRule {
    return { SecurityGroupRuleId: this.ruleIds.next('sgr'), ...fields };
  }

  inUse(securityGroupId: string): boolean {
    return this.attached(securityGroupId);
  }
}
