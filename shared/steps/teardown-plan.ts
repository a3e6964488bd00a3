import { dnsRecordName, gatherTag, linkId, TAG } from '../derived.ts';
import { remarkIsLink } from '../pvtz-remark.ts';
import { findEndpoint } from './ensure-endpoint.ts';
import { findSecurityGroup } from './ensure-security-group.ts';
import { StepFailure, type Step } from './types.ts';

/**
 * What a teardown may remove, decided once from ownership marks: our endpoint (tagged), our
 * security group (tagged; a given one is never touched), and per DNS zone whether zpl created
 * it and whether zpl added the VPC binding. Nothing found is fine: already gone counts as done.
 */
export const teardownPlan: Step = async ({ spec, state, removeClusters }, deps) => {
  // One already being deleted (an interrupted teardown) is still ours to wait for.
  const endpoint = await findEndpoint(spec, undefined, deps, { includeDeleting: true });
  const ours = endpoint.kind === 'ours' ? endpoint : undefined;
  const recorded = ours ? gatherTag(ours.tags, TAG.clusters) : [];
  const all = [...new Set([...recorded, ...spec.clusters])];
  const clusters = removeClusters ?? all;
  const unknown = clusters.filter((c) => !all.includes(c));
  if (unknown.length) throw new StepFailure('Teardown.UnknownCluster', `${unknown.join(', ')} is not part of link ${linkId(spec)} (it serves ${all.join(', ') || 'no cluster'})`);
  const sg = await findSecurityGroup(spec, deps);
  const boundByUs = new Set(ours ? gatherTag(ours.tags, TAG.bound) : []);
  const zoneNames = [...new Set(clusters.map((c) => dnsRecordName(spec, c).zoneName))];
  const boundZones = await deps.aliyun.privateZone.zonesBoundTo(spec.vpcId);
  const zones = [];
  for (const zoneName of zoneNames) {
    const bound = boundZones.find((z) => z.ZoneName === zoneName);
    const mine = (await deps.aliyun.privateZone.zonesNamed(zoneName)).find((z) => remarkIsLink(z.Remark, linkId(spec)));
    const zone = bound ?? mine;
    if (!zone) continue;
    // Ours only by our mark (either remark form): an unmarked zone of that name is someone else's.
    const isOurs = remarkIsLink(zone.Remark, linkId(spec));
    zones.push({ zoneId: zone.ZoneId, zoneName, ours: isOurs, bindingOurs: Boolean(bound) && (isOurs || boundByUs.has(zone.ZoneId)) });
  }
  return {
    state: {
      ...state,
      teardown: {
        scope: removeClusters ? 'clusters' : 'link',
        clusters,
        remaining: removeClusters ? all.filter((c) => !clusters.includes(c)) : [],
        ...(ours ? { endpointId: ours.id } : {}),
        endpointOurs: Boolean(ours),
        ...(sg.kind !== 'create' ? { securityGroupId: sg.id } : {}),
        securityGroupOurs: sg.kind === 'ours',
        zones,
      },
    },
  };
};
