import { dnsRecordName, MANAGED_BY, ownershipTags, recordRemark, TAG, linkId } from '../../shared/derived.ts';
import { requireLinkSpec, type LinkSpec } from '../../shared/spec.ts';
import { desiredTags } from '../../shared/steps/ensure-endpoint.ts';
import { DEMO } from './fixtures.ts';
import type { World } from './world.ts';

/**
 * Many provisioned links at once, written straight into the world exactly as the provision
 * flow leaves them (same tags, rules, records, bindings, registrations), for drift checks at
 * scale: provisioning 1,000 links through the flow would measure the flow, not the check.
 */
export function seedProvisionedLinks(world: World, count: number): LinkSpec[] {
  const now = world.now();
  const service = world.privatelink.serviceInRegion(DEMO.region)!;
  const specs: LinkSpec[] = [];
  for (let i = 0; i < count; i++) {
    const vpcId = `vpc-bp1bulk${String(i).padStart(13, '0')}`;
    const spec = requireLinkSpec({
      projectId: DEMO.projectId,
      region: DEMO.region,
      accountId: DEMO.accountId,
      vpcId,
      clusters: [DEMO.clusterId],
      zones: [{ zoneId: 'cn-hangzhou-h' }, { zoneId: 'cn-hangzhou-j' }],
    });
    specs.push(spec);
    const vSwitches = ['h', 'j'].map((z, n) => ({
      vSwitchId: `vsw-bp1bulk${z}${String(i).padStart(12, '0')}`,
      vpcId,
      zoneId: `cn-hangzhou-${z}`,
      cidrBlock: `10.0.${n + 1}.0/24`,
      availableIps: 250,
      nextHost: 10,
    }));
    world.vpc.vpcs.set(vpcId, {
      vpcId,
      regionId: DEMO.region,
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
      regionId: DEMO.region,
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
      regionId: DEMO.region,
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
    world.zilliz.allowlist.add(`${DEMO.projectId}|ali-${DEMO.region}|${DEMO.accountId}`);
    const registrations = world.zilliz.registrations.get(DEMO.projectId) ?? new Map();
    world.zilliz.registrations.set(DEMO.projectId, registrations);
    registrations.set(endpointId, { endpointId, regionId: `ali-${DEMO.region}`, registeredAt: now - 24 * 3600_000 });
    const dns = dnsRecordName(spec, DEMO.clusterId);
    const zone = world.pvtz.addZone(DEMO.accountId, {
      zoneName: dns.zoneName,
      proxyPattern: 'RECORD',
      remark: recordRemark(spec),
      bindings: [{ vpcId, regionId: DEMO.region, vpcType: 'STANDARD', vpcUserId: DEMO.accountId }],
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
