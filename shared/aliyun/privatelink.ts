import type { Tag } from '../derived.ts';
import { isAliyunError } from './errors.ts';
import { allByToken } from '../paging.ts';
import type { AliyunTransport } from './rpc.ts';
import { PRIVATELINK } from './catalog/privatelink.ts';

/**
 * Page size of every PrivateLink list: the metadata's `MaxResults` schema says ≤1000, but its
 * description says "取值范围：1~50。默认值：50" (ListVpcEndpoints, ListVpcEndpointZones,
 * ListVpcEndpointServicesByEndUser), and the Terraform provider sends 50. The text wins.
 */
export const PRIVATELINK_PAGE_SIZE = 50;

/** A dry run whose checks all passed (the metadata's DryRun descriptions). */
export const DRY_RUN_PASSED = 'DryRunOperation';

/** PrivateLink 2020-04-15, as an endpoint's consumer. Arrays are bare in this product. */
export class PrivateLinkApi {
  constructor(
    private readonly rpc: AliyunTransport,
    private readonly region: string,
  ) {
    rpc.use('Privatelink', PRIVATELINK);
  }

  /**
   * Whether PrivateLink is activated for the account. `Success` is documented only as true
   * (privatelink_2020-04-15.json CheckProductOpen) and errorCodes["400"] lists `NeedOpenProduct`
   * "The product is not activated.": both a false answer and that code mean not activated.
   * The call takes no RegionId; the region only picks the endpoint.
   */
  async productOpen(): Promise<boolean> {
    try {
      const r = await this.rpc.call('Privatelink', 'CheckProductOpen', this.region, {});
      return r.Success === true;
    } catch (e) {
      if (isAliyunError(e, 'NeedOpenProduct')) return false;
      throw e;
    }
  }

  /** Endpoint services this account may connect to; Zilliz's appears once the account is allowlisted. */
  servicesVisibleToMe(filter: { serviceName?: string; serviceId?: string } = {}) {
    return allByToken(async (NextToken) => {
      const r = await this.rpc.call('Privatelink', 'ListVpcEndpointServicesByEndUser', this.region, {
        RegionId: this.region,
        ServiceName: filter.serviceName,
        ServiceId: filter.serviceId,
        MaxResults: PRIVATELINK_PAGE_SIZE,
        NextToken,
      });
      return { items: r.Services, nextToken: r.NextToken };
    });
  }

  createEndpoint(input: {
    vpcId: string;
    serviceId: string;
    securityGroupIds: string[];
    zones: { zoneId: string; vSwitchId: string }[];
    name: string;
    description: string;
    tags: Tag[];
    clientToken: string;
  }) {
    return this.rpc.call('Privatelink', 'CreateVpcEndpoint', this.region, {
      RegionId: this.region,
      VpcId: input.vpcId,
      EndpointType: 'Interface',
      ServiceId: input.serviceId,
      SecurityGroupId: input.securityGroupIds,
      Zone: input.zones.map((z) => ({ ZoneId: z.zoneId, VSwitchId: z.vSwitchId })),
      EndpointName: input.name,
      EndpointDescription: input.description,
      Tag: input.tags,
      ClientToken: input.clientToken,
    });
  }

  /**
   * CreateVpcEndpoint checked, nothing created: with `DryRun` "发送检查请求，不会创建终端节点。检查项包括是否填写了
   * 必需参数、请求格式、业务限制 … 如果检查通过，则返回错误码`DryRunOperation`" (privatelink_2020-04-15.json,
   * CreateVpcEndpoint DryRun). Resolves on that code; any other answer is thrown as the call's error.
   */
  async createEndpointDryRun(input: {
    vpcId: string;
    service: { serviceId?: string; serviceName?: string };
    securityGroupIds: string[];
    zones: { zoneId: string; vSwitchId: string }[];
  }) {
    try {
      await this.rpc.call('Privatelink', 'CreateVpcEndpoint', this.region, {
        RegionId: this.region,
        VpcId: input.vpcId,
        EndpointType: 'Interface',
        ServiceId: input.service.serviceId,
        ServiceName: input.service.serviceName,
        SecurityGroupId: input.securityGroupIds,
        Zone: input.zones.map((z) => ({ ZoneId: z.zoneId, VSwitchId: z.vSwitchId })),
        DryRun: true,
      });
    } catch (e) {
      if (isAliyunError(e, DRY_RUN_PASSED)) return;
      throw e;
    }
    // A dry run that answers like a real create would have created something: never expected.
    throw new Error('CreateVpcEndpoint answered a dry run without DryRunOperation');
  }

  /** The endpoint, or undefined once it is gone (`EndpointNotFound`). */
  async getEndpoint(endpointId: string) {
    try {
      return await this.rpc.call('Privatelink', 'GetVpcEndpointAttribute', this.region, { RegionId: this.region, EndpointId: endpointId });
    } catch (e) {
      if (isAliyunError(e, 'EndpointNotFound')) return undefined;
      throw e;
    }
  }

  listEndpoints(filter: { vpcId?: string; endpointName?: string; serviceName?: string; tags?: Tag[] } = {}) {
    return allByToken(async (NextToken) => {
      const r = await this.rpc.call('Privatelink', 'ListVpcEndpoints', this.region, {
        RegionId: this.region,
        VpcId: filter.vpcId,
        EndpointName: filter.endpointName,
        ServiceName: filter.serviceName,
        Tag: filter.tags,
        MaxResults: PRIVATELINK_PAGE_SIZE,
        NextToken,
      });
      return { items: r.Endpoints, nextToken: r.NextToken };
    });
  }

  /** Zones with their ENI IPs and per-zone domains (the only source of those). */
  endpointZones(endpointId: string) {
    return allByToken(async (NextToken) => {
      const r = await this.rpc.call('Privatelink', 'ListVpcEndpointZones', this.region, {
        RegionId: this.region,
        EndpointId: endpointId,
        MaxResults: PRIVATELINK_PAGE_SIZE,
        NextToken,
      });
      return { items: r.Zones, nextToken: r.NextToken };
    });
  }

  /** Sets tags on the endpoint (keys present get the new value): desired state written on the resource. */
  tagEndpoint(endpointId: string, tags: Tag[], clientToken: string) {
    return this.rpc.call('Privatelink', 'TagResources', this.region, {
      RegionId: this.region,
      ResourceId: [endpointId],
      ResourceType: 'vpcendpoint',
      Tag: tags,
      ClientToken: clientToken,
    });
  }

  /**
   * Removes tag keys from the endpoint (at most 20, "最多支持20个标签键", metadata). PrivateLink lists
   * `TagInfoNotExist` for this call without saying when; callers send only keys they have just read.
   */
  untagEndpoint(endpointId: string, keys: string[], clientToken: string) {
    return this.rpc.call('Privatelink', 'UntagResources', this.region, {
      RegionId: this.region,
      ResourceId: [endpointId],
      ResourceType: 'vpcendpoint',
      TagKey: keys,
      ClientToken: clientToken,
    });
  }

  /** The security groups the endpoint is in. */
  endpointSecurityGroups(endpointId: string) {
    return allByToken(async (NextToken) => {
      const r = await this.rpc.call('Privatelink', 'ListVpcEndpointSecurityGroups', this.region, {
        RegionId: this.region,
        EndpointId: endpointId,
        MaxResults: PRIVATELINK_PAGE_SIZE,
        NextToken,
      });
      return { items: r.SecurityGroups, nextToken: r.NextToken };
    });
  }

  addZone(endpointId: string, zone: { zoneId: string; vSwitchId: string }, clientToken: string) {
    return this.rpc.call('Privatelink', 'AddZoneToVpcEndpoint', this.region, {
      RegionId: this.region,
      EndpointId: endpointId,
      ZoneId: zone.zoneId,
      VSwitchId: zone.vSwitchId,
      ClientToken: clientToken,
    });
  }

  /**
   * Asynchronous: the zone shows `Deleting` in ListVpcEndpointZones until it is gone. The metadata:
   * "不支持给同一个终端节点实例并发删除可用区" (no concurrent zone removals on one endpoint).
   */
  removeZone(endpointId: string, zoneId: string, clientToken: string) {
    return this.rpc.call('Privatelink', 'RemoveZoneFromVpcEndpoint', this.region, {
      RegionId: this.region,
      EndpointId: endpointId,
      ZoneId: zoneId,
      ClientToken: clientToken,
    });
  }

  /** Refused with `EndpointDependenceViolation` while zones remain: "删除终端节点之前，请先删除终端节点中已添加的可用区" (metadata). */
  deleteEndpoint(endpointId: string, clientToken: string) {
    return this.rpc.call('Privatelink', 'DeleteVpcEndpoint', this.region, {
      RegionId: this.region,
      EndpointId: endpointId,
      ClientToken: clientToken,
    });
  }
}
