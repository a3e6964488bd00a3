/** A vSwitch as DescribeVSwitches lists it (the fields the placement reads). */
export interface ListedVSwitch {
  VSwitchId: string;
  ZoneId: string;
  AvailableIpAddressCount?: number;
}

/**
 * Where a zone's endpoint address goes: the spec's vSwitch (it must be in the VPC and the zone),
 * else the zone's vSwitch with the most free addresses (the endpoint takes one ENI IP per zone).
 * `none` when the VPC has no vSwitch in the zone. Shared by Validate (readWorld) and `zpl doctor`.
 */
export function zoneVSwitch(
  zone: { zoneId: string; vSwitchId?: string },
  vSwitches: ListedVSwitch[],
  vpcId: string,
): { vSwitch: ListedVSwitch } | { problem: string; none?: true } {
  if (zone.vSwitchId) {
    const given = vSwitches.find((v) => v.VSwitchId === zone.vSwitchId);
    if (!given) return { problem: `zone ${zone.zoneId}: vSwitch ${zone.vSwitchId} is not in VPC ${vpcId}` };
    if (given.ZoneId !== zone.zoneId)
      return { problem: `zone ${zone.zoneId}: vSwitch ${zone.vSwitchId} is in ${given.ZoneId}, not ${zone.zoneId}` };
    return { vSwitch: given };
  }
  const inZone = vSwitches.filter((v) => v.ZoneId === zone.zoneId);
  if (inZone.length === 0)
    return { problem: `zone ${zone.zoneId}: VPC ${vpcId} has no vSwitch there; create one or name it in zones[].vSwitchId`, none: true };
  return { vSwitch: [...inZone].sort((a, b) => (b.AvailableIpAddressCount ?? 0) - (a.AvailableIpAddressCount ?? 0))[0]! };
}
