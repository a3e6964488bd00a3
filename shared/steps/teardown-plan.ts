import { gatherTag, linkId, TAG } from '../derived.ts';
import { remarkIsLink } from '../pvtz-remark.ts';
import { accountRefusal } from './caller-account.ts';
import { clusterHosts, isKnown } from './cluster-hosts.ts';
import { findEndpoint } from './ensure-endpoint.ts';
import { findSecurityGroup } from './ensure-security-group.ts';
import { noteChange, StepFailure, type PlannedZone, type Step } from './types.ts';
import { vpcZone, zonesServing, zplMade, type ListedZone } from './vpc-zone.ts';

/**
 * What a teardown may remove, decided once from ownership marks: our endpoint (tagged), our
 * security group (tagged; a given one is never touched), and per DNS zone (the one serving the
 * VPC, and this link's spare ones) whether zpl made it (any link's mark: it serves all the zpl
 * links of the VPC, and goes only when none has a record left), whether zpl's is the VPC binding,
 * and which record names to remove (each still checked for this link's remark by RemoveDns).
 * Nothing found is fine: already gone counts as done.
 *
 * Record names come from cluster-hosts.ts: the published layout, or the hostname Zilliz
 * assigned. When Zilliz cannot say (the cluster was deleted there, or no address is assigned),
 * this link's records are found by remark in the zones bound to the VPC that zpl made or that an
 * older zpl bound (`zpl:bound`), so nothing zpl created is left behind.
 */
export const teardownPlan: Step = async ({ spec, state, removeClusters }, deps) => {
  // Deletes follow; only in the spec's own account (the provision flow's Validate checks the same).
  const refusal = await accountRefusal(spec, deps);
  if (refusal) throw refusal;
  // One already being deleted (an interrupted teardown) is still ours to wait for.
  const endpoint = await findEndpoint(spec, undefined, deps, { includeDeleting: true });
  const ours = endpoint.kind === 'ours' ? endpoint : undefined;
  const recorded = ours ? gatherTag(ours.tags, TAG.clusters) : [];
  const all = [...new Set([...recorded, ...spec.clusters])];
  const clusters = removeClusters ?? all;
  const unknown = clusters.filter((c) => !all.includes(c));
  if (unknown.length)
    throw new StepFailure(
      'Teardown.UnknownCluster',
      `${unknown.join(', ')} is not part of link ${linkId(spec)} (it serves ${all.join(', ') || 'no cluster'})`,
    );
  const remaining = removeClusters ? all.filter((c) => !clusters.includes(c)) : [];
  const sg = await findSecurityGroup(spec, deps);
  const boundByUs = new Set(ours ? gatherTag(ours.tags, TAG.bound) : []);
  const pvtz = deps.aliyun.privateZone;
  const hosts = await clusterHosts(spec, clusters, deps.zilliz);
  const known = hosts.filter(isKnown);
  const link = { linkId: linkId(spec), vpcId: spec.vpcId, region: spec.region };
  const boundZones = await zonesServing(pvtz, link);
  const zones = new Map<string, PlannedZone>();
  const plan = (zone: ListedZone, rrs: string[], bound: boolean) => {
    // Made by zpl only by a zpl mark (either remark form, any link's): an unmarked zone of that name is someone else's.
    const made = zplMade(zone);
    const before = zones.get(zone.ZoneId);
    zones.set(zone.ZoneId, {
      zoneId: zone.ZoneId,
      zoneName: zone.ZoneName,
      ours: made,
      bindingOurs: bound && (made || boundByUs.has(zone.ZoneId)),
      rrs: [...new Set([...(before?.rrs ?? []), ...rrs])],
    });
  };
  for (const zoneName of new Set(known.map((h) => h.record.zoneName))) {
    const rrs = known.filter((h) => h.record.zoneName === zoneName).map((h) => h.record.rr);
    // The zone serving the VPC, and this link's spare zones of that name (an interrupted run's, a late reply's).
    const found = await vpcZone(pvtz, link, zoneName, boundZones);
    if (found.serving) plan(found.serving, rrs, true);
    // This link's other zones of the name: its records there go too, and the zones if nothing else holds them.
    for (const zone of [...found.spares, ...found.elsewhere.map((e) => e.zone)]) plan(zone, rrs, false);
  }
  let next = state;
  const unnamed = hosts.filter((h) => !isKnown(h));
  if (unnamed.length) {
    const kept = await clusterHosts(spec, remaining, deps.zilliz);
    const names = unnamed.map((h) => `${h.clusterId} (${h.why})`).join(', ');
    if (kept.some((h) => !isKnown(h))) {
      // Our records carry the link, not the cluster: with a kept cluster's name unknown too, any of them may be its.
      next = noteChange(next, {
        step: 'TeardownPlan',
        action: 'kept',
        resource: 'record',
        note: `no hostname from Zilliz for ${names}, nor for every cluster the link keeps: its records stay`,
      });
    } else {
      const claimed = new Set(kept.filter(isKnown).map((h) => `${h.record.zoneName}|${h.record.rr}`));
      for (const zone of boundZones.filter((z) => zplMade(z) || boundByUs.has(z.ZoneId))) {
        const rrs = (await pvtz.records(zone.ZoneId))
          .filter((r) => remarkIsLink(r.Remark, linkId(spec)) && !claimed.has(`${zone.ZoneName}|${r.Rr}`))
          .map((r) => r.Rr);
        plan(zone, rrs, true);
      }
      next = noteChange(next, {
        step: 'TeardownPlan',
        action: 'unchanged',
        resource: 'record',
        note: `no hostname from Zilliz for ${names}: zpl's records found by remark`,
      });
    }
  }
  return {
    state: {
      ...next,
      teardown: {
        scope: removeClusters ? 'clusters' : 'link',
        clusters,
        remaining,
        ...(ours ? { endpointId: ours.id } : {}),
        endpointOurs: Boolean(ours),
        ...(sg.kind !== 'create' ? { securityGroupId: sg.id } : {}),
        securityGroupOurs: sg.kind === 'ours',
        ...(sg.kind === 'ours' && sg.all.length > 1 ? { securityGroupIds: sg.all.map((g) => g.id) } : {}),
        zones: [...zones.values()],
      },
    },
  };
};
