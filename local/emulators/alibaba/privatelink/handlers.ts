import { type Handler, type HandlerContext, type Params, fail, iso, pageByToken, tagsMatch } from '../handler.ts';
import { refusingWritesUntilPrivateLinkOpened, requirePrivateLinkOpened } from '../activation.ts';
import { checkPrivateLinkTagCount, checkPrivateLinkTags } from '../tag-checks.ts';
import { privateLinkTagHandlers } from './tags.ts';
import type { Endpoint } from './model.ts';

/** PrivateLink 2020-04-15 as Alibaba answers it; codes from the official metadata's error lists. */

const ENDPOINT_NAME = /^[A-Za-z\u4e00-\u9fa5][A-Za-z0-9\u4e00-\u9fa5_-]{1,127}$/;

function ownEndpoint(ctx: HandlerContext, p: Params): Endpoint {
  return (
    ctx.world.privatelink.scoped(ctx.accountId, p.RegionId).endpoint(p.EndpointId) ??
    fail('EndpointNotFound', 'The specified endpoint does not exist.')
  );
}

function endpointView(ctx: HandlerContext, ep: Endpoint) {
  const service = ctx.world.privatelink.services.get(ep.serviceId);
  return {
    EndpointId: ep.endpointId,
    EndpointName: ep.name,
    EndpointDescription: ep.description,
    EndpointType: 'Interface',
    EndpointStatus: ctx.world.privatelink.endpointStatus(ep),
    ConnectionStatus: ctx.world.privatelink.connectionStatus(ep),
    EndpointBusinessStatus: 'Normal',
    EndpointDomain: ctx.world.privatelink.endpointDomain(ep),
    ServiceId: ep.serviceId,
    ServiceName: service?.serviceName ?? '',
    VpcId: ep.vpcId,
    RegionId: ep.regionId,
    Bandwidth: 3072,
    CreateTime: iso(ep.createdAt),
    ResourceOwner: true,
    ZoneAffinityEnabled: false,
    ResourceGroupId: 'rg-acfmdefault000',
  };
}

/** Checks a zone placement against the service and the VPC; returns the vSwitch. */
function placeZone(
  ctx: HandlerContext,
  ep: { vpcId: string; serviceId: string },
  zoneId: string | undefined,
  vSwitchId: string | undefined,
) {
  const service = ctx.world.privatelink.services.get(ep.serviceId)!;
  if (!zoneId || !service.zones.includes(zoneId)) {
    fail('EndpointServiceNotSupportedZone', 'The specified endpoint service does not support the zone.');
  }
  const vSwitch = vSwitchId ? ctx.world.vpc.findVSwitch(vSwitchId) : undefined;
  if (!vSwitch || vSwitch.vpcId !== ep.vpcId || vSwitch.zoneId !== zoneId) fail('VSwitchNotFound', 'The specified VSwitch does not exist.');
  if (vSwitch!.availableIps < 1) fail('ResourceNotEnough.VSwitchIp', 'The specified resource of VSwitchIp is not enough.');
  return vSwitch!;
}

/**
 * One zone operation at a time per endpoint: the metadata says AddZoneToVpcEndpoint and
 * RemoveZoneFromVpcEndpoint "不支持给同一个终端节点实例并发添加/删除可用区". The code given for it,
 * ConcurrentCallNotSupported, is the one the Terraform provider retries on these calls (it is not in
 * the metadata's error list, so its HTTP status is a guess: 400, like the listed codes).
 */
function refuseDuringZoneOperation(ctx: HandlerContext, ep: Endpoint) {
  if (ctx.world.privatelink.zoneOperationInProgress(ep))
    fail('ConcurrentCallNotSupported', 'A zone operation on this endpoint is in progress; concurrent calls are not supported.');
}

function requireChangeable(ctx: HandlerContext, ep: Endpoint) {
  const status = ctx.world.privatelink.endpointStatus(ep);
  if (status === 'Creating' || status === 'Deleting')
    fail('EndpointOperationDenied', `The operation is not allowed because the endpoint is ${status}.`);
  refuseDuringZoneOperation(ctx, ep);
  if (status === 'Pending') fail('EndpointLocked', 'The endpoint is locked by another operation; retry later.');
}

export const privateLinkHandlers: Record<string, Handler> = refusingWritesUntilPrivateLinkOpened({
  /** `Success` is documented only as true; not activated is `NeedOpenProduct` (CheckProductOpen errorCodes["400"]). */
  CheckProductOpen(ctx) {
    requirePrivateLinkOpened(ctx);
    return { Success: true };
  },

  ListVpcEndpointServicesByEndUser(ctx, p) {
    const services = ctx.world.privatelink
      .scoped(ctx.accountId, p.RegionId)
      .visibleServices()
      .filter((s) => (!p.ServiceId || s.serviceId === p.ServiceId) && (!p.ServiceName || s.serviceName === p.ServiceName));
    // MaxResults "取值范围：1~50，默认值：50" (metadata description; its schema says ≤1000).
    const { page, nextToken, maxResults } = pageByToken(services, p, 50, 50);
    return {
      Services: page.map((s) => ({
        ServiceId: s.serviceId,
        ServiceName: s.serviceName,
        ServiceDomain: s.serviceDomain,
        ServiceType: 'Interface',
        ServiceResourceType: 'nlb',
        ServiceSupportIPv6: false,
        Payer: 'Endpoint',
        ResourceGroupId: 'rg-acfmdefault000',
        Zones: [...s.zones],
        Tags: [],
      })),
      NextToken: nextToken,
      MaxResults: maxResults,
      TotalCount: String(services.length),
    };
  },

  CreateVpcEndpoint(ctx, p) {
    const { world } = ctx;
    // privatelink_2020-04-15.json CreateVpcEndpoint errorCodes["400"]: CheckServiceLinkRoleError
    // "The ServiceLink role check error." — the account lacks AliyunServiceRoleForPrivatelink.
    if (world.accounts.get(ctx.accountId)?.privateLinkServiceLinkedRole === false) {
      fail('CheckServiceLinkRoleError', 'The ServiceLink role check error.');
    }
    if (p.EndpointType !== undefined && p.EndpointType !== 'Interface') {
      fail('Mismatch.EndpointType', `The EndpointType ${p.EndpointType} is mismatched for the service.`);
    }
    if (!world.vpc.scoped(ctx.accountId, p.RegionId).vpc(p.VpcId)) fail('VpcNotFound', 'The specified VPC does not exist.');
    const service =
      world.privatelink.scoped(ctx.accountId, p.RegionId).service(p.ServiceId, p.ServiceName) ??
      fail('EndpointServiceNotFound', 'The specified Service does not exist.');
    if (!world.privatelink.isServiceVisible(service, ctx.accountId)) {
      fail('EndpointServiceNotAuthorized', 'The specified endpoint service is not authorized to user.');
    }
    if (p.EndpointName !== undefined && !ENDPOINT_NAME.test(p.EndpointName)) {
      fail('IllegalParamFormat.EndpointName', 'The EndpointName must be 2 to 128 characters and start with a letter.');
    }
    const sgIds: string[] = p.SecurityGroupId ?? [];
    if (sgIds.length === 0) fail('EndpointMustContainSecurityGroup', 'The specified endpoint must have at least one security group.');
    for (const id of sgIds) {
      const sg = world.ecs.scoped(ctx.accountId, p.RegionId).group(id);
      if (!sg || sg.vpcId !== p.VpcId) fail('SecurityGroupNotFound', 'The specified security group does not exist.');
    }
    const zones: { ZoneId?: string; VSwitchId?: string; ip?: string }[] = p.Zone ?? [];
    if (zones.length === 0) fail('MissingParameter', 'Zone is mandatory for an interface endpoint.');
    const zoneIds = zones.map((z) => z.ZoneId);
    if (new Set(zoneIds).size !== zoneIds.length) fail('EndpointZoneDuplicated', 'The zone is duplicated for the Endpoint.');
    const placed = zones.map((z) => ({
      zone: z,
      vSwitch: placeZone(ctx, { vpcId: p.VpcId, serviceId: service.serviceId }, z.ZoneId, z.VSwitchId),
    }));
    const existing = world.privatelink
      .scoped(ctx.accountId, p.RegionId)
      .endpoints()
      .find((e) => e.vpcId === p.VpcId && e.serviceId === service.serviceId && e.deletingAt === undefined);
    if (existing) fail('EndpointDuplicated', 'The endpoint of the service already exists and cannot be created again.');
    // CreateVpcEndpoint's Tag.N states no rule of its own; TagResources' rules and codes are assumed.
    const tags: { Key?: string; Value?: string }[] = p.Tag ?? [];
    checkPrivateLinkTags(tags);
    checkPrivateLinkTagCount(tags.length);
    if (p.DryRun === true) fail('DryRunOperation', 'Request validation has been passed with DryRun flag set.');

    const now = world.now();
    const activeAt = now + world.timings.endpointActiveMs;
    const ep: Endpoint = {
      endpointId: world.ids.next('ep'),
      accountId: ctx.accountId,
      regionId: p.RegionId,
      vpcId: p.VpcId,
      serviceId: service.serviceId,
      name: p.EndpointName ?? '',
      description: p.EndpointDescription ?? '',
      securityGroupIds: sgIds,
      tags: tags.map((t) => ({ Key: t.Key!, Value: t.Value! })),
      zones: placed.map(({ zone, vSwitch }) => ({
        zoneId: zone.ZoneId!,
        vSwitchId: vSwitch.vSwitchId,
        eniId: world.ids.next('eni'),
        eniIp: world.vpc.allocateIp(vSwitch),
        readyAt: activeAt,
      })),
      createdAt: now,
      activeAt,
    };
    world.privatelink.endpoints.set(ep.endpointId, ep);
    const view = endpointView(ctx, ep);
    return {
      EndpointId: view.EndpointId,
      EndpointName: view.EndpointName,
      EndpointDescription: view.EndpointDescription,
      EndpointDomain: view.EndpointDomain,
      EndpointStatus: view.EndpointStatus,
      ConnectionStatus: view.ConnectionStatus,
      EndpointBusinessStatus: view.EndpointBusinessStatus,
      ServiceId: view.ServiceId,
      ServiceName: view.ServiceName,
      VpcId: view.VpcId,
      Bandwidth: view.Bandwidth,
      CreateTime: view.CreateTime,
    };
  },

  GetVpcEndpointAttribute(ctx, p) {
    const ep = ownEndpoint(ctx, p);
    return { ...endpointView(ctx, ep), Payer: 'Endpoint', ZonePrivateIpAddressCount: 1, PolicyDocument: '' };
  },

  ListVpcEndpoints(ctx, p) {
    const matches = ctx.world.privatelink
      .scoped(ctx.accountId, p.RegionId)
      .endpoints()
      .filter((ep) => {
        const service = ctx.world.privatelink.services.get(ep.serviceId);
        return (
          (!p.EndpointId || ep.endpointId === p.EndpointId) &&
          (!p.EndpointName || ep.name === p.EndpointName) &&
          (!p.VpcId || ep.vpcId === p.VpcId) &&
          (!p.ServiceName || service?.serviceName === p.ServiceName) &&
          tagsMatch(ep.tags, p.Tag)
        );
      });
    // MaxResults "取值范围：1~50。默认值：50" (metadata description; its schema says ≤1000).
    const { page, nextToken, maxResults } = pageByToken(matches, p, 50, 50);
    return {
      Endpoints: page.map((ep) => ({ ...endpointView(ctx, ep), Tags: ep.tags.map((t) => ({ ...t })) })),
      NextToken: nextToken,
      MaxResults: maxResults,
      TotalCount: matches.length,
    };
  },

  ListVpcEndpointZones(ctx, p) {
    const ep = ownEndpoint(ctx, p);
    const { page, nextToken, maxResults } = pageByToken(ep.zones, p, 50, 50);
    return {
      Zones: page.map((z) => ({
        ZoneId: z.zoneId,
        ZoneStatus: ctx.world.privatelink.zoneStatus(ep, z),
        ZoneDomain: ctx.world.privatelink.zoneDomain(ep, z),
        EniId: z.eniId,
        EniIp: z.eniIp,
        VSwitchId: z.vSwitchId,
        RegionId: ep.regionId,
      })),
      NextToken: nextToken,
      MaxResults: maxResults,
      TotalCount: ep.zones.length,
    };
  },

  ListVpcEndpointSecurityGroups(ctx, p) {
    const ep = ownEndpoint(ctx, p);
    // MaxResults "取值范围：**1**~**50**，默认值：**50**" (metadata).
    const { page, nextToken, maxResults } = pageByToken(ep.securityGroupIds, p, 50, 50);
    return {
      SecurityGroups: page.map((id) => ({ SecurityGroupId: id, SecurityGroupStatus: 'Attached' })),
      NextToken: nextToken,
      MaxResults: maxResults,
      TotalCount: ep.securityGroupIds.length,
    };
  },

  ...privateLinkTagHandlers,

  AddZoneToVpcEndpoint(ctx, p) {
    const ep = ownEndpoint(ctx, p);
    requireChangeable(ctx, ep);
    if (ep.zones.some((z) => z.zoneId === p.ZoneId)) fail('EndpointZoneDuplicated', 'The zone is duplicated for the Endpoint.');
    const vSwitch = placeZone(ctx, ep, p.ZoneId, p.VSwitchId);
    if (p.DryRun === true) fail('DryRunOperation', 'Request validation has been passed with DryRun flag set.');
    const now = ctx.world.privatelink.startZoneOperation(ep);
    ep.zones.push({
      zoneId: p.ZoneId,
      vSwitchId: vSwitch.vSwitchId,
      eniId: ctx.world.ids.next('eni'),
      eniIp: ctx.world.vpc.allocateIp(vSwitch),
      readyAt: now + ctx.world.timings.changeMs,
    });
    return {};
  },

  RemoveZoneFromVpcEndpoint(ctx, p) {
    const ep = ownEndpoint(ctx, p);
    requireChangeable(ctx, ep);
    const zone = ep.zones.find((z) => z.zoneId === p.ZoneId && z.removingAt === undefined);
    if (!zone) return fail('EndpointZoneNotFound', 'The specified zone does not exist in the endpoint.');
    if (p.DryRun === true) fail('DryRunOperation', 'Request validation has been passed with DryRun flag set.');
    // Asynchronous: Deleting in ListVpcEndpointZones, then gone (metadata).
    zone.removingAt = ctx.world.privatelink.startZoneOperation(ep);
    return {};
  },

  DeleteVpcEndpoint(ctx, p) {
    const ep = ownEndpoint(ctx, p);
    const status = ctx.world.privatelink.endpointStatus(ep);
    if (status === 'Deleting') return {};
    refuseDuringZoneOperation(ctx, ep);
    if (status !== 'Active') fail('EndpointOperationDenied', `The operation is not allowed because the endpoint is ${status}.`);
    // "删除终端节点之前，请先删除终端节点中已添加的可用区" (metadata): EndpointDependenceViolation, 400.
    if (ep.zones.length > 0) fail('EndpointDependenceViolation', 'The specified endpoint has dependent zone(s).');
    if (p.DryRun === true) fail('DryRunOperation', 'Request validation has been passed with DryRun flag set.');
    ep.deletingAt = ctx.world.now();
    return {};
  },
});
