import { linkId } from './derived.ts';
import { remarkLinkId } from './pvtz-remark.ts';
import { created, removed, unchanged } from './plan-values.ts';
import type { PlanItem } from './plan.ts';
import type { LinkSpec } from './spec.ts';
import { planRecord } from './steps/ensure-dns.ts';
import type { ClusterTarget, StepDeps } from './steps/types.ts';
import { foreignIn, foreignNote } from './steps/foreign-records.ts';
import { fqdnOf, removalRisk, unlistedIn, wantedKey, zonesToScan } from './steps/unlisted-records.ts';
import { vpcZone, zonesServing, zplMade, type ListedZone } from './steps/vpc-zone.ts';
import { firstUnlinked, shareOf } from './steps/zone-split.ts';

/** How a zone that serves the VPC is used, in a plan's words. */
function servingItem(zone: ListedZone, id: string, vpcId: string): PlanItem {
  const value = { name: zone.ZoneName, serves: vpcId };
  const same = { resource: 'private zone', id: zone.ZoneId, ...unchanged(value) };
  if (!zplMade(zone)) return { action: 'reuse', ...same, detail: `${zone.ZoneName} ${zone.ZoneId} (not created by zpl; left as found)` };
  const maker = remarkLinkId(zone.Remark);
  return {
    action: 'keep',
    ...same,
    detail: `${zone.ZoneName} ${zone.ZoneId}${maker === id ? '' : `; made by zpl for link ${maker}, shared by the zpl links in ${vpcId}`}`,
  };
}

const ZONE = { resource: 'private zone' } as const;
const RECORD = { resource: 'CNAME record' } as const;
const cname = (value: string) => ({ type: 'CNAME', value });

/**
 * The DNS part of `zpl plan`, the same reads EnsureDns makes: per name the zone serving the VPC
 * (kept, or a user's reused), this link's spare zone (bound), or a new one; a shared zone this
 * VPC leaves; duplicate spares removed; each cluster's record; and the records this link owns
 * that the spec no longer lists (`remove`, with what that risks).
 */
export async function planDns(spec: LinkSpec, clusters: ClusterTarget[], endpointDomain: string | undefined, deps: StepDeps) {
  const items: PlanItem[] = [];
  const pvtz = deps.aliyun.privateZone;
  const link = { linkId: linkId(spec), vpcId: spec.vpcId, region: spec.region };
  const bound = await zonesServing(pvtz, link);
  const target = endpointDomain ?? '<the new endpoint domain>';
  for (const zoneName of [...new Set(clusters.map((c) => c.zoneName))]) {
    const found = await vpcZone(pvtz, link, zoneName, bound);
    const share = found.serving ? await shareOf(deps.aliyun, link, found.serving) : undefined;
    const moving = share && share.keeper !== link.vpcId;
    const zone = moving ? undefined : (found.serving ?? found.spares[0] ?? (await firstUnlinked(deps.aliyun.privateLink, found.elsewhere)));
    if (moving)
      items.push({
        action: 'update',
        ...ZONE,
        id: found.serving!.ZoneId,
        before: { name: zoneName, serves: spec.vpcId },
        after: { name: zoneName, serves: null },
        detail: `${zoneName} ${found.serving!.ZoneId} also serves ${share.linked.join(', ')} (zpl links there): move ${spec.vpcId} to a zone of its own, ${share.keeper} keeps this one`,
      });
    else if (found.serving) {
      items.push(servingItem(found.serving, link.linkId, spec.vpcId));
      // EnsureDns keeps a zone zpl made (or adopted) with its recursive proxy on (tendZone).
      if (zplMade(found.serving) && found.serving.ProxyPattern !== 'RECORD')
        items.push({
          action: 'update',
          resource: 'private zone proxy',
          id: found.serving.ZoneId,
          before: { name: zoneName, proxyPattern: found.serving.ProxyPattern ?? null },
          after: { name: zoneName, proxyPattern: 'RECORD' },
          detail: `${zoneName} ${found.serving.ZoneId}: recursive proxy on (other names under it then resolve publicly from ${spec.vpcId})`,
        });
    } else if (zone)
      items.push({
        action: 'update',
        ...ZONE,
        id: zone.ZoneId,
        before: { name: zoneName, serves: null },
        after: { name: zoneName, serves: spec.vpcId },
        detail: `${zoneName} ${zone.ZoneId}; bind ${spec.vpcId} (this link's zone, not bound to it)`,
      });
    else
      items.push({
        action: 'create',
        ...ZONE,
        ...created({ name: zoneName, serves: spec.vpcId, proxyPattern: 'RECORD' }),
        detail: `${zoneName} (recursive proxy on), bound to ${spec.vpcId}`,
      });
    for (const spare of found.spares.filter((z) => z !== zone))
      items.push({
        action: 'remove',
        ...ZONE,
        id: spare.ZoneId,
        ...removed({ name: zoneName, serves: null }),
        detail: `${zoneName} ${spare.ZoneId}: a duplicate this link made, bound to no VPC`,
      });
    for (const cluster of clusters.filter((c) => c.zoneName === zoneName)) {
      const record = { ...RECORD, id: cluster.host };
      const add = { action: 'create', ...record, ...created(cname(target)), detail: `${cluster.host} → ${target}` } as const;
      if (!zone || !endpointDomain) {
        items.push(add);
        continue;
      }
      const r = await planRecord(spec, zone.ZoneId, cluster, target, deps);
      if (r.kind === 'create') items.push(add);
      else if (r.kind === 'unchanged')
        items.push({ action: 'keep', ...record, ...unchanged(cname(target)), detail: `${cluster.host} → ${target}` });
      else if (r.kind === 'update')
        items.push({
          action: 'update',
          ...record,
          before: { record: r.from },
          after: cname(target),
          detail: `${cluster.host}: ${r.from} → CNAME ${target}`,
        });
      else items.push({ action: 'conflict', ...record, before: { conflict: r.detail }, after: cname(target), detail: r.detail });
    }
  }
  const wanted = new Set(clusters.map((c) => wantedKey(c.zoneName, c.rr)));
  for (const zone of zonesToScan(bound, wanted)) {
    const records = await pvtz.records(zone.ZoneId);
    for (const r of await foreignIn(deps.aliyun, link, zone, records)) {
      const host = fqdnOf(zone.ZoneName, r.Rr);
      items.push({ action: 'remove', ...RECORD, id: host, ...removed(cname(r.Value)), detail: foreignNote(host, r) });
    }
    for (const u of unlistedIn(zone, records, link.linkId, wanted))
      items.push({
        action: 'remove',
        ...RECORD,
        id: u.fqdn,
        ...removed(cname(u.record.Value)),
        detail: `${u.fqdn} → ${u.record.Value}: no longer in the spec`,
        risk: removalRisk(u.zone, u.fqdn),
      });
  }
  return items;
}
