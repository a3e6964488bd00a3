import type { LinkSpec } from '../spec.ts';
import { zoneVSwitch } from '../steps/zone-vswitch.ts';
import type { DoctorReads } from './reads.ts';
import { fail, pass, type DoctorCheck } from './report.ts';

/**
 * A free address in each zone's vSwitch (DescribeVSwitches `AvailableIpAddressCount`): the
 * endpoint takes one ENI IP per zone; a full vSwitch fails CreateVpcEndpoint with
 * `ResourceNotEnough.VSwitchIp` (privatelink_2020-04-15.json).
 */
export async function vSwitchIpsCheck(spec: LinkSpec, reads: DoctorReads): Promise<DoctorCheck> {
  const id = 'vswitch.free-ips';
  const endpoint = await reads.endpoint();
  if (endpoint.kind !== 'create') return pass(id, `endpoint ${endpoint.id} exists: its zones hold their addresses`);
  const vSwitches = await reads.vSwitches();
  const problems: string[] = [];
  const seen: string[] = [];
  for (const zone of spec.zones) {
    const placed = zoneVSwitch(zone, vSwitches, spec.vpcId);
    if (!('vSwitch' in placed)) problems.push(placed.problem);
    else if ((placed.vSwitch.AvailableIpAddressCount ?? 0) < 1)
      problems.push(`zone ${zone.zoneId}: vSwitch ${placed.vSwitch.VSwitchId} has no free address`);
    else seen.push(`${placed.vSwitch.VSwitchId} ${placed.vSwitch.AvailableIpAddressCount} free`);
  }
  if (problems.length)
    return fail(
      id,
      problems.join('; '),
      'free an address in the vSwitch, or create another vSwitch in the zone and name it in zones[].vSwitchId (the endpoint takes one address a zone)',
    );
  return pass(id, seen.join(', '));
}
