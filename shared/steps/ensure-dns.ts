import { gatherTag, linkId, recordRemark, spreadTag, TAG } from '../derived.ts';
import { remarkIsLegacy, remarkIsLink, remarkLinkId } from '../pvtz-remark.ts';
import type { LinkSpec } from '../spec.ts';
import { applyBindings, bindingsFound, withVpc } from './zone-bindings.ts';
import { DETAIL_SAMPLE, sample } from './bounded.ts';
import { clusterTargets } from './cluster-targets.ts';
import { noteChange, StepFailure, tokensFor, type ClusterTarget, type LinkState, type Step, type StepDeps, type Tokens } from './types.ts';

const TTL = 60;

export type ZonePlan = { kind: 'bound' | 'ours' | 'found'; zoneId: string; proxyPattern: string; remark?: string } | { kind: 'create' };

/**
 * The zone to hold the records: one already bound to the VPC (a VPC cannot bind two zones of
 * one name), else ours (by Remark, either form), else an existing one of that name (reused, never
 * taken for ours: its remark is not ours, so it is not changed and never deleted), else a new one.
 * Among those, one no other link marks is preferred.
 */
export async function findZone(spec: LinkSpec, zoneName: string, deps: StepDeps): Promise<ZonePlan> {
  const bound = (await deps.aliyun.privateZone.zonesBoundTo(spec.vpcId)).find((z) => z.ZoneName === zoneName);
  if (bound) return { kind: 'bound', zoneId: bound.ZoneId, proxyPattern: bound.ProxyPattern, remark: bound.Remark };
  const named = await deps.aliyun.privateZone.zonesNamed(zoneName);
  const ours = named.find((z) => remarkIsLink(z.Remark, linkId(spec)));
  if (ours) return { kind: 'ours', zoneId: ours.ZoneId, proxyPattern: ours.ProxyPattern, remark: ours.Remark };
  const found = named.find((z) => remarkLinkId(z.Remark) === undefined) ?? named[0];
  if (found) return { kind: 'found', zoneId: found.ZoneId, proxyPattern: found.ProxyPattern, remark: found.Remark };
  return { kind: 'create' };
}

export type RecordPlan =
  | { kind: 'create' }
  | { kind: 'unchanged'; recordId: number }
  | { kind: 'update'; recordId: number; from: string }
  | { kind: 'conflict'; detail: string };

/** What to do with a cluster's CNAME: ours may be corrected, anyone else's that differs is a conflict. */
export async function planRecord(
  spec: LinkSpec,
  zoneId: string,
  cluster: ClusterTarget,
  target: string,
  deps: StepDeps,
): Promise<RecordPlan> {
  const existing = (await deps.aliyun.privateZone.records(zoneId, cluster.rr)).filter((r) => r.Rr === cluster.rr);
  if (existing.length === 0) return { kind: 'create' };
  const same = existing.find((r) => r.Type === 'CNAME' && r.Value.replace(/\.$/, '') === target);
  if (same && existing.length === 1) return { kind: 'unchanged', recordId: same.RecordId };
  const ours = existing.find((r) => remarkIsLink(r.Remark, linkId(spec)));
  if (ours && existing.length === 1) return { kind: 'update', recordId: ours.RecordId, from: `${ours.Type} ${ours.Value}` };
  const others = existing.map((r) => `${r.Type} ${r.Value}`).join(', ');
  return {
    kind: 'conflict',
    detail: `${cluster.rr}.${cluster.zoneName} already has ${others}, not created by zpl; remove it or point it at ${target} yourself`,
  };
}

async function ensureZone(
  spec: LinkSpec,
  zoneName: string,
  state: LinkState,
  deps: StepDeps,
  token: Tokens,
): Promise<{ zoneId: string; state: LinkState; mine: boolean }> {
  const plan = await findZone(spec, zoneName, deps);
  const pvtz = deps.aliyun.privateZone;
  if (plan.kind === 'create') {
    // RECORD = the recursive proxy: names not in the zone still resolve publicly (cloud-facts §2).
    const created = await pvtz.addZone(zoneName, 'RECORD', token('zone', { zoneName }));
    await pvtz.setRemark(created.ZoneId, recordRemark(spec), token('zone-remark', { zoneId: created.ZoneId }));
    return {
      zoneId: created.ZoneId,
      mine: true,
      state: noteChange(state, { step: 'EnsureDns', action: 'created', resource: 'private zone', id: created.ZoneId, note: zoneName }),
    };
  }
  const mine = remarkIsLink(plan.remark, linkId(spec));
  // A zone marked in the old form (`zpl:link=…`, which PrivateZone refuses to write) gets the allowed one.
  if (mine && remarkIsLegacy(plan.remark))
    await pvtz.setRemark(plan.zoneId, recordRemark(spec), token('zone-remark', { zoneId: plan.zoneId }));
  if (mine && plan.proxyPattern !== 'RECORD') {
    await pvtz.setProxyPattern(plan.zoneId, 'RECORD', token('zone-proxy', { zoneId: plan.zoneId }));
    return {
      zoneId: plan.zoneId,
      mine: true,
      state: noteChange(state, {
        step: 'EnsureDns',
        action: 'updated',
        resource: 'private zone proxy',
        id: plan.zoneId,
        note: 'recursive proxy on',
      }),
    };
  }
  const note = mine
    ? zoneName
    : `${zoneName}; not created by zpl, left as found${plan.proxyPattern === 'ZONE' ? ' (its recursive proxy is off: other names under it will not resolve publicly from the VPC)' : ''}`;
  return {
    zoneId: plan.zoneId,
    mine,
    state: noteChange(state, { step: 'EnsureDns', action: mine ? 'unchanged' : 'reused', resource: 'private zone', id: plan.zoneId, note }),
  };
}

async function recordBinding(spec: LinkSpec, endpointId: string, zoneId: string, deps: StepDeps, token: Tokens) {
  const [ep] = await deps.aliyun.privateLink.listEndpoints({ vpcId: spec.vpcId, tags: [{ Key: TAG.link, Value: linkId(spec) }] });
  const bound = new Set(gatherTag(ep?.Tags ?? [], TAG.bound));
  if (bound.has(zoneId)) return;
  const tags = spreadTag(TAG.bound, [...bound, zoneId]);
  await deps.aliyun.privateLink.tagEndpoint(endpointId, tags, token('bound-tag', tags));
}

/** Zone with the recursive proxy, a CNAME per cluster to the endpoint's domain, the zone bound to the VPC (adding to its bindings). */
export const ensureDns: Step = async (input, deps) => {
  const { spec, state } = input;
  const token = tokensFor(input);
  const target = state.endpointDomain;
  if (!target) throw new StepFailure('State.Incomplete', 'the endpoint domain is unknown: earlier steps did not run');
  // Read back from Zilliz, not carried in state (state stays O(1) in clusters; bounded.ts).
  const clusters = await clusterTargets(spec, deps);
  let next = state;
  const records: { clusterId: string; recordId: number; host: string }[] = [];
  // One change per record for the first few of each kind, then one that counts the rest.
  const noted: Record<'created' | 'updated' | 'unchanged', number> = { created: 0, updated: 0, unchanged: 0 };
  const note = (action: keyof typeof noted, id: number, detail: string) => {
    if (++noted[action] <= DETAIL_SAMPLE)
      next = noteChange(next, { step: 'EnsureDns', action, resource: 'CNAME record', id: String(id), note: detail });
  };
  const zoneIds = new Set<string>();
  for (const zoneName of [...new Set(clusters.map((c) => c.zoneName))]) {
    const zone = await ensureZone(spec, zoneName, next, deps, token);
    next = zone.state;
    zoneIds.add(zone.zoneId);
    for (const cluster of clusters.filter((c) => c.zoneName === zoneName)) {
      const plan = await planRecord(spec, zone.zoneId, cluster, target, deps);
      if (plan.kind === 'conflict') throw new StepFailure('Dns.RecordConflict', plan.detail);
      const record = { rr: cluster.rr, type: 'CNAME' as const, value: target, ttl: TTL };
      if (plan.kind === 'create') {
        const added = await deps.aliyun.privateZone.addRecord(
          zone.zoneId,
          { ...record, remark: recordRemark(spec) },
          token(`record-${cluster.clusterId}`, { zoneId: zone.zoneId, ...record }),
        );
        records.push({ clusterId: cluster.clusterId, recordId: added.RecordId, host: cluster.host });
        note('created', added.RecordId, `${cluster.host} → ${target}`);
      } else if (plan.kind === 'update') {
        await deps.aliyun.privateZone.updateRecord(
          plan.recordId,
          record,
          token(`record-update-${cluster.clusterId}`, { recordId: plan.recordId, ...record }),
        );
        records.push({ clusterId: cluster.clusterId, recordId: plan.recordId, host: cluster.host });
        note('updated', plan.recordId, `${cluster.host}: ${plan.from} → CNAME ${target}`);
      } else {
        records.push({ clusterId: cluster.clusterId, recordId: plan.recordId, host: cluster.host });
        note('unchanged', plan.recordId, cluster.host);
      }
    }
    // Bind after the records exist, sending every binding found: BindZoneVpc replaces the whole set.
    const info = await deps.aliyun.privateZone.zoneInfo(zone.zoneId);
    if (!info) throw new StepFailure('Dns.ZoneGone', `private zone ${zone.zoneId} disappeared`);
    const bound = bindingsFound(info.BindVpcs.Vpc);
    if (!bound.some((v) => v.vpcId === spec.vpcId)) {
      const all = withVpc(bound, { vpcId: spec.vpcId, regionId: spec.region });
      await applyBindings(deps.aliyun.privateZone, zone.zoneId, all, bound, token('bind', { zoneId: zone.zoneId, all }));
      next = noteChange(next, {
        step: 'EnsureDns',
        action: 'bound',
        resource: 'private zone to VPC',
        id: spec.vpcId,
        note: bound.length ? `kept ${bound.map((v) => v.vpcId).join(', ')}` : undefined,
      });
      // A binding zpl added to a zone it did not create is recorded, so teardown removes exactly that.
      if (!zone.mine && state.endpointId) await recordBinding(spec, state.endpointId, zone.zoneId, deps, token);
    }
  }
  for (const action of ['created', 'updated', 'unchanged'] as const) {
    const more = noted[action] - DETAIL_SAMPLE;
    if (more > 0)
      next = noteChange(next, { step: 'EnsureDns', action, resource: 'CNAME records', note: `${more} more (the private zone lists them)` });
  }
  return { state: { ...next, dnsZoneId: [...zoneIds][0], records: sample(records), recordCount: records.length } };
};
