import { dnsRecordName, MANAGED_BY, ownershipTags, recordRemark, TAG, linkId } from '../../shared/derived.ts';
import { hasPublishedHostLayout, isRegion } from '../../shared/regions.ts';
import { requireLinkSpec, type LinkSpec } from '../../shared/spec.ts';
import { desiredTags } from '../../shared/steps/ensure-endpoint.ts';
import { DEMO } from './fixtures.ts';
import type { World } from './world.ts';

export interface BulkLinkOptions {
  /** The region (default the demo's): it needs Zilliz's endpoint service and a cluster of the demo project (bulkLinkRegion). */
  region?: string;
  /** The first link's number, so a second batch adds links instead of rewriting the first (default 0). */
  start?: number;
}

/**
 * Where links can be seeded in `region` (Zilliz's endpoint service, its first two zones, a cluster of
 * the demo project), or why not. Only regions with a published hostname layout: elsewhere the record
 * name comes from Zilliz's assigned address, which bulk links do not model.
 */
export function bulkLinkRegion(world: World, region: string): { zones: string[]; clusterId: string } | string {
  if (!isRegion(region) || !hasPublishedHostLayout(region))
    return `${region} is not a region with a published private-link hostname layout (cn-hangzhou, cn-beijing, cn-shenzhen, cn-shanghai)`;
  const service = world.privatelink.serviceInRegion(region);
  if (!service || service.zones.length < 2) return `Zilliz has no endpoint service in ${region} with two zones in this world`;
  const cluster = [...world.zilliz.clusters.values()].find((c) => c.projectId === DEMO.projectId && c.regionId === `ali-${region}`);
  if (!cluster) return `project ${DEMO.projectId} has no cluster in ali-${region} to link to (seed one with POST /__admin/seed)`;
  return { zones: service.zones.slice(0, 2), clusterId: region === DEMO.region ? DEMO.clusterId : cluster.clusterId };
}

/**
 * Many provisioned links at once, written straight into the world exactly as the provision
 * flow leaves them (same tags, rules, records, bindings, registrations), for drift checks at
 * scale: provisioning 1,000 links through the flow would measure the flow, not the check.
 */
export function seedProvisionedLinks(world: World, count: number, opts: BulkLinkOptions = {}): LinkSpec[] {
  const now = world.now();
  const region = opts.region ?? DEMO.region;
  const service = world.privatelink.serviceInRegion(region)!;
  const where = bulkLinkRegion(world, region);
  if (typeof where === 'string') throw new Error(where);
  const specs: LinkSpec[] = [];
  for (let i = opts.start ?? 0; i < (opts.start ?? 0) + count; i++) {
    const vpcId = `vpc-bp1bulk${String(i).padStart(13, '0')}`;
    const spec = requireLinkSpec({
      projectId: DEMO.projectId,
      region,
      accountId: DEMO.accountId,
      vpcId,
      clusters: [where.clusterId],
      zones: where.zones.map((zoneId) => ({ zoneId })),
    });
    specs.push(spec);
    const vSwitches = where.zones.map((zoneId, n) => ({
      vSwitchId: `vsw-bp1bulk${zoneId.slice(-1)}${String(i).padStart(12, '0')}`,
      vpcId,
      zoneId,
      cidrBlock: `10.0.${n + 1}.0/24`,
      availableIps: 250,
      nextHost: 10,
    }));
    world.vpc.vpcs.set(vpcId, {
      vpcId,
      regionId: region,
      accountId: DEMO.accountId,
      cidrBlock: '10.0.0.0/16',
      secondaryCidrBlocks: [],
      vSwitches,
      vpcType: 'STANDARD',
    });
    const at = new Date(now).toISOString();
    const sgId = world.ids.next('sg');
    world.ecs.securityGroups.set(sgId, {
      securityGroupId: sgId,
      regionId: region,
      vpcId,
      accountId: DEMO.accountId,
      name: `${linkId(spec)}-zilliz`,
      description: `Zilliz Cloud private link ${linkId(spec)} (${MANAGED_BY})`,
      tags: [...ownershipTags(spec, { cidrs: ['10.0.0.0/16'], port: 19530 }), { Key: TAG.icmp, Value: 'true' }],
      rules: (['TCP', 'ICMP'] as const).map((p) =>
        world.ecs.rule({
          IpProtocol: p,
          PortRange: p === 'TCP' ? '19530/19530' : '-1/-1',
          SourceCidrIp: '10.0.0.0/16',
          Policy: 'accept',
          Priority: '1',
          NicType: 'intranet',
          Description: MANAGED_BY,
          Direction: 'ingress' as const,
          CreateTime: at,
        }),
      ),
      createdAt: now,
    });
    const endpointId = world.ids.next('ep');
    const ep = {
      endpointId,
      accountId: DEMO.accountId,
      regionId: region,
      vpcId,
      serviceId: service.serviceId,
      name: `${linkId(spec)}-zilliz`,
      description: '',
      securityGroupIds: [sgId],
      tags: desiredTags(spec, 19530),
      zones: vSwitches.map((v) => ({
        zoneId: v.zoneId,
        vSwitchId: v.vSwitchId,
        eniId: world.ids.next('eni'),
        eniIp: world.vpc.allocateIp(v),
        readyAt: now - 24 * 3600_000,
      })),
      // Provisioned a day ago: Active, accepted and Connected long since.
      createdAt: now - 24 * 3600_000,
      activeAt: now - 24 * 3600_000,
    };
    world.privatelink.endpoints.set(endpointId, ep);
    service.visibleTo.set(DEMO.accountId, now - 1);
    world.zilliz.allowlist.add(`${DEMO.projectId}|ali-${region}|${DEMO.accountId}`);
    const registrations = world.zilliz.registrations.get(DEMO.projectId) ?? new Map();
    world.zilliz.registrations.set(DEMO.projectId, registrations);
    registrations.set(endpointId, { endpointId, regionId: `ali-${region}`, registeredAt: now - 24 * 3600_000 });
    const dns = dnsRecordName(spec, where.clusterId);
    const zone = world.pvtz.addZone(DEMO.accountId, {
      zoneName: dns.zoneName,
      proxyPattern: 'RECORD',
      remark: recordRemark(spec),
      bindings: [{ vpcId, regionId: region, vpcType: 'STANDARD', vpcUserId: DEMO.accountId }],
    });
    world.pvtz.addRecord(zone, {
      rr: dns.rr,
      type: 'CNAME',
      value: world.privatelink.endpointDomain(ep),
      ttl: 60,
      remark: recordRemark(spec),
    });
  }
  return specs;
}
