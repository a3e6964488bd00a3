import * as z from 'zod';
import type { World } from './world.ts';

/**
 * Changes a person makes by hand in the consoles, applied straight to the world (the admin
 * API's `POST /edits`), so drift checks have something real to find.
 */
export const handEditSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('revokeRule'), securityGroupId: z.string(), protocol: z.string(), sourceCidr: z.string() }),
  z.object({ op: z.literal('addRule'), securityGroupId: z.string(), protocol: z.string(), portRange: z.string(), sourceCidr: z.string() }),
  z.object({ op: z.literal('deleteRecord'), zoneId: z.string(), rr: z.string() }),
  z.object({ op: z.literal('disableRecord'), zoneId: z.string(), rr: z.string() }),
  z.object({ op: z.literal('pointRecord'), zoneId: z.string(), rr: z.string(), value: z.string() }),
  z.object({ op: z.literal('unbindZone'), zoneId: z.string(), vpcId: z.string() }),
  z.object({ op: z.literal('bindZone'), zoneId: z.string(), vpcId: z.string() }),
  z.object({
    op: z.literal('addRecord'),
    zoneId: z.string(),
    rr: z.string(),
    type: z.enum(['A', 'CNAME']),
    value: z.string(),
    remark: z.string().optional(),
  }),
  z.object({ op: z.literal('setProxy'), zoneId: z.string(), proxyPattern: z.enum(['ZONE', 'RECORD']) }),
  z.object({ op: z.literal('deregister'), projectId: z.string(), endpointId: z.string() }),
  z.object({ op: z.literal('removeEndpointZone'), endpointId: z.string(), zoneId: z.string() }),
  z.object({ op: z.literal('addEndpointZone'), endpointId: z.string(), zoneId: z.string() }),
  z.object({ op: z.literal('lockEndpoint'), endpointId: z.string(), forMs: z.number().positive() }),
  z.object({ op: z.literal('deleteEndpoint'), endpointId: z.string() }),
]);
export type HandEdit = z.infer<typeof handEditSchema>;

export function applyHandEdit(world: World, edit: HandEdit): void {
  const zone = 'zoneId' in edit && !edit.op.endsWith('EndpointZone') ? world.pvtz.zones.get(edit.zoneId) : undefined;
  const need = <T>(thing: T | undefined, what: string): T => {
    if (!thing) throw new Error(`${what} not found`);
    return thing;
  };
  switch (edit.op) {
    case 'revokeRule': {
      const sg = need(world.ecs.securityGroups.get(edit.securityGroupId), 'security group');
      sg.rules = sg.rules.filter(
        (r) => !(r.IpProtocol.toUpperCase() === edit.protocol.toUpperCase() && r.SourceCidrIp === edit.sourceCidr),
      );
      return;
    }
    case 'addRule': {
      const sg = need(world.ecs.securityGroups.get(edit.securityGroupId), 'security group');
      sg.rules.push(
        world.ecs.rule({
          IpProtocol: edit.protocol,
          PortRange: edit.portRange,
          SourceCidrIp: edit.sourceCidr,
          Policy: 'accept',
          Priority: '1',
          NicType: 'intranet',
          Description: 'added by hand',
          Direction: 'ingress',
          CreateTime: new Date(world.now()).toISOString(),
        }),
      );
      return;
    }
    case 'deleteRecord':
      need(zone, 'zone').records = zone!.records.filter((r) => r.rr !== edit.rr);
      return;
    case 'disableRecord':
      for (const r of need(zone, 'zone').records) if (r.rr === edit.rr) r.status = 'DISABLE';
      return;
    case 'pointRecord':
      for (const r of need(zone, 'zone').records) if (r.rr === edit.rr) r.value = edit.value;
      return;
    case 'unbindZone': {
      // An unbinding by hand starts the same Zone.VpcExists window as BindZoneVpc does.
      const kept = need(zone, 'zone').bindings.filter((b) => b.vpcId !== edit.vpcId);
      world.pvtz.bind(zone!, kept);
      return;
    }
    case 'bindZone': {
      // Binding by hand is held to the same rule as BindZoneVpc: one zone of a name per VPC.
      const vpc = need(world.vpc.vpcs.get(edit.vpcId), 'VPC');
      if (world.pvtz.sameNameBound(need(zone, 'zone'), [edit.vpcId]))
        throw new Error('ZoneVpc.Zone.Repeated: Vpc is bind to same zone name.');
      world.pvtz.bind(zone!, [
        ...zone!.bindings.filter((b) => b.vpcId !== edit.vpcId),
        { vpcId: vpc.vpcId, regionId: vpc.regionId, vpcType: vpc.vpcType, vpcUserId: vpc.accountId },
      ]);
      return;
    }
    case 'addRecord':
      world.pvtz.addRecord(need(zone, 'zone'), { rr: edit.rr, type: edit.type, value: edit.value, ttl: 60, remark: edit.remark });
      return;
    case 'setProxy':
      need(zone, 'zone').proxyPattern = edit.proxyPattern;
      return;
    case 'deregister':
      world.zilliz.registrations.get(edit.projectId)?.delete(edit.endpointId);
      return;
    case 'removeEndpointZone': {
      const ep = need(world.privatelink.endpoints.get(edit.endpointId), 'endpoint');
      ep.zones = ep.zones.filter((z) => z.zoneId !== edit.zoneId);
      return;
    }
    case 'addEndpointZone': {
      // A zone added in the console, in the VPC's vSwitch of that zone, ready at once.
      const ep = need(world.privatelink.endpoints.get(edit.endpointId), 'endpoint');
      const vSwitch = need(
        world.vpc.vpcs.get(ep.vpcId)?.vSwitches.find((v) => v.zoneId === edit.zoneId),
        `vSwitch in ${edit.zoneId}`,
      );
      ep.zones.push({
        zoneId: edit.zoneId,
        vSwitchId: vSwitch.vSwitchId,
        eniId: world.ids.next('eni'),
        eniIp: world.vpc.allocateIp(vSwitch),
        readyAt: world.now(),
      });
      return;
    }
    case 'lockEndpoint':
      need(world.privatelink.endpoints.get(edit.endpointId), 'endpoint').pendingUntil = world.now() + edit.forMs;
      return;
    case 'deleteEndpoint':
      need(world.privatelink.endpoints.get(edit.endpointId), 'endpoint');
      world.privatelink.endpoints.delete(edit.endpointId);
      return;
  }
}
