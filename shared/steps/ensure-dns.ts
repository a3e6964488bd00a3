import { linkId, recordRemark } from '../derived.ts';
import { linkRemark, remarkIsLegacy, remarkIsLink, remarkLinkId } from '../pvtz-remark.ts';
import type { LinkSpec } from '../spec.ts';
import { DETAIL_SAMPLE, sample } from './bounded.ts';
import { clusterTargets } from './cluster-targets.ts';
import { removeUnlisted } from './remove-unlisted.ts';
import { noteChange, StepFailure, tokensFor, type ClusterTarget, type LinkState, type Step, type StepDeps, type Tokens } from './types.ts';
import { bindVpc } from './zone-bindings.ts';
import { sweepSpares } from './zone-sweep.ts';
import { firstUnlinked, leaveSharedZone } from './zone-split.ts';
import { createZone, vpcZone, zplMade, type LinkWhere, type ListedZone } from './vpc-zone.ts';

const TTL = 60;
/** Rounds of find → write → bind before giving up: each lost race (a zone bound or deleted meanwhile) costs one. */
const ROUNDS = 4;

export type RecordPlan =
  | { kind: 'create' }
  | { kind: 'unchanged'; recordId: number }
  | { kind: 'update'; recordId: number; from: string }
  | { kind: 'conflict'; detail: string };

/** Who made a record, in words, for a conflict. */
const madeBy = (remark: string | undefined) => {
  const other = remarkLinkId(remark);
  return other ? `made by zpl for link ${other} (another Zilliz project in this VPC)` : 'not created by zpl';
};

/** What to do with a cluster's CNAME: ours may be corrected; anyone else's that differs (a user's, another link's) is a conflict. */
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
    detail: `${cluster.rr}.${cluster.zoneName} already has ${others}, ${madeBy(existing[0]!.Remark)}; remove it or point it at ${target} yourself`,
  };
}

/** What one step of EnsureDns works with. */
interface Ctx {
  spec: LinkSpec;
  deps: StepDeps;
  token: Tokens;
  link: LinkWhere;
  /** The endpoint's domain: every record is a CNAME to it. */
  target: string;
}

type Written = { kind: 'created' | 'updated' | 'unchanged'; recordId: number; cluster: ClusterTarget; detail: string };

/** Each cluster's CNAME in the zone: created (marked as the link's), put back if ours was changed, or a conflict. */
async function ensureRecords(ctx: Ctx, zoneId: string, clusters: ClusterTarget[]): Promise<Written[]> {
  const pvtz = ctx.deps.aliyun.privateZone;
  const out: Written[] = [];
  for (const cluster of clusters) {
    const plan = await planRecord(ctx.spec, zoneId, cluster, ctx.target, ctx.deps);
    if (plan.kind === 'conflict') throw new StepFailure('Dns.RecordConflict', plan.detail);
    const record = { rr: cluster.rr, type: 'CNAME' as const, value: ctx.target, ttl: TTL };
    if (plan.kind === 'create') {
      const added = await pvtz.addRecord(
        zoneId,
        { ...record, remark: recordRemark(ctx.spec) },
        ctx.token(`record-${cluster.clusterId}`, { zoneId, ...record }),
      );
      out.push({ kind: 'created', recordId: added.RecordId, cluster, detail: `${cluster.host} → ${ctx.target}` });
    } else if (plan.kind === 'update') {
      await pvtz.updateRecord(
        plan.recordId,
        record,
        ctx.token(`record-update-${cluster.clusterId}`, { recordId: plan.recordId, ...record }),
      );
      out.push({ kind: 'updated', recordId: plan.recordId, cluster, detail: `${cluster.host}: ${plan.from} → CNAME ${ctx.target}` });
    } else out.push({ kind: 'unchanged', recordId: plan.recordId, cluster, detail: cluster.host });
  }
  return out;
}

/** A zone zpl made is kept in shape: the allowed remark form, the recursive proxy on. A user's zone is only described. */
async function tendZone(ctx: Ctx, zone: ListedZone, state: LinkState): Promise<LinkState> {
  const pvtz = ctx.deps.aliyun.privateZone;
  const mine = remarkIsLink(zone.Remark, ctx.link.linkId);
  if (!zplMade(zone)) {
    const off =
      zone.ProxyPattern === 'ZONE' ? ' (its recursive proxy is off: other names under it will not resolve publicly from the VPC)' : '';
    return noteChange(state, {
      step: 'EnsureDns',
      action: 'reused',
      resource: 'private zone',
      id: zone.ZoneId,
      note: `${zone.ZoneName}; not created by zpl, left as found${off}`,
    });
  }
  // A zone marked in the old form (`zpl:link=…`, which PrivateZone refuses to write) gets the allowed one, for the same link.
  if (remarkIsLegacy(zone.Remark))
    await pvtz.setRemark(zone.ZoneId, linkRemark(remarkLinkId(zone.Remark)!), ctx.token('zone-remark', { zoneId: zone.ZoneId }));
  if (zone.ProxyPattern !== 'RECORD') {
    await pvtz.setProxyPattern(zone.ZoneId, 'RECORD', ctx.token('zone-proxy', { zoneId: zone.ZoneId }));
    return noteChange(state, {
      step: 'EnsureDns',
      action: 'updated',
      resource: 'private zone proxy',
      id: zone.ZoneId,
      note: 'recursive proxy on',
    });
  }
  return noteChange(state, {
    step: 'EnsureDns',
    action: mine ? 'unchanged' : 'reused',
    resource: 'private zone',
    id: zone.ZoneId,
    note: mine
      ? zone.ZoneName
      : `${zone.ZoneName}; made by zpl for link ${remarkLinkId(zone.Remark)}, shared by the zpl links in ${ctx.link.vpcId}`,
  });
}

/**
 * Serves `zoneName` in the link's VPC and answers the zone and the records written. The zone bound
 * to the VPC is used whoever made it; otherwise this link's spare zone (the oldest) or a new one
 * gets the records first, then the binding ("configure a DNS record … before you associate a zone
 * with a VPC", https://www.alibabacloud.com/help/doc-detail/65399.htm). Concurrent links of the VPC
 * may race to bind their own zone: the loser hears `ZoneVpc.Zone.Repeated`, finds the winner's
 * zone in the next round, writes its records there and deletes its own (a spare by then), so one
 * zone per VPC and name remains. Spare zones this link owns are swept once one serves.
 */
async function serveName(
  ctx: Ctx,
  zoneName: string,
  clusters: ClusterTarget[],
  start: LinkState,
  noteWritten: (state: LinkState, written: Written[]) => LinkState,
) {
  const pvtz = ctx.deps.aliyun.privateZone;
  for (let round = 1; round <= ROUNDS; round++) {
    let state = start;
    const found = await vpcZone(pvtz, ctx.link, zoneName);
    if (found.serving) {
      const left = await leaveSharedZone(ctx, found.serving, state);
      if (left.moved) {
        start = left.state;
        continue;
      }
      state = await tendZone(ctx, found.serving, state);
      state = noteWritten(state, await ensureRecords(ctx, found.serving.ZoneId, clusters));
      return { zoneId: found.serving.ZoneId, state: await sweepSpares(ctx, found.spares, found.serving, state) };
    }
    const [spare, ...extra] = found.spares;
    // This link's zone bound only to VPCs without zpl links (this VPC's binding dropped by hand) is bound again.
    const mine = spare ?? (await firstUnlinked(ctx.deps.aliyun.privateLink, found.elsewhere));
    const zone = mine ?? (await createZone(pvtz, ctx.link, zoneName, ctx.token));
    state = mine
      ? await tendZone(ctx, mine, state)
      : noteChange(state, { step: 'EnsureDns', action: 'created', resource: 'private zone', id: zone.ZoneId, note: zoneName });
    const written = await ensureRecords(ctx, zone.ZoneId, clusters);
    const outcome = await bindVpc(pvtz, zone.ZoneId, { vpcId: ctx.link.vpcId, regionId: ctx.link.region }, (p) => ctx.token('bind', p));
    if (outcome === 'taken' || outcome === 'gone') {
      // Lost a race: what this round noted is dropped; the next round finds the winner's zone.
      ctx.deps.log.info('dns.zone_race', { zoneName, zoneId: zone.ZoneId, outcome, round });
      continue;
    }
    state = noteWritten(state, written);
    if (outcome === 'bound')
      state = noteChange(state, { step: 'EnsureDns', action: 'bound', resource: 'private zone to VPC', id: ctx.link.vpcId });
    return { zoneId: zone.ZoneId, state: await sweepSpares(ctx, extra, zone, state) };
  }
  throw new StepFailure(
    'Dns.ZoneRace',
    `${zoneName} could not be settled in ${ctx.link.vpcId} after ${ROUNDS} rounds: another run kept binding or deleting its zones; run again`,
  );
}

/**
 * The zone serving each cluster's name in the link's VPC (bound to it; one per VPC and name), a CNAME
 * per cluster to the endpoint's domain, then the records this link owns that the spec no longer
 * lists removed. A zone is never bound to another VPC: its records would send that VPC to this
 * link's endpoint.
 */
export const ensureDns: Step = async (input, deps) => {
  const { spec, state } = input;
  const target = state.endpointDomain;
  if (!target) throw new StepFailure('State.Incomplete', 'the endpoint domain is unknown: earlier steps did not run');
  const ctx: Ctx = { spec, deps, token: tokensFor(input), link: { linkId: linkId(spec), vpcId: spec.vpcId, region: spec.region }, target };
  // Read back from Zilliz, not carried in state (state stays O(1) in clusters; bounded.ts).
  const clusters = await clusterTargets(spec, deps);
  let next = state;
  const records: { clusterId: string; recordId: number; host: string }[] = [];
  // One change per record for the first few of each kind, then one that counts the rest.
  const noted: Record<'created' | 'updated' | 'unchanged', number> = { created: 0, updated: 0, unchanged: 0 };
  const zoneIds: string[] = [];
  const noteWritten = (s: LinkState, written: Written[]) => {
    let out = s;
    for (const w of written) {
      records.push({ clusterId: w.cluster.clusterId, recordId: w.recordId, host: w.cluster.host });
      if (++noted[w.kind] <= DETAIL_SAMPLE)
        out = noteChange(out, { step: 'EnsureDns', action: w.kind, resource: 'CNAME record', id: String(w.recordId), note: w.detail });
    }
    return out;
  };
  for (const zoneName of [...new Set(clusters.map((c) => c.zoneName))]) {
    const served = await serveName(
      ctx,
      zoneName,
      clusters.filter((c) => c.zoneName === zoneName),
      next,
      noteWritten,
    );
    next = served.state;
    zoneIds.push(served.zoneId);
  }
  for (const action of ['created', 'updated', 'unchanged'] as const) {
    const more = noted[action] - DETAIL_SAMPLE;
    if (more > 0)
      next = noteChange(next, { step: 'EnsureDns', action, resource: 'CNAME records', note: `${more} more (the private zone lists them)` });
  }
  next = await removeUnlisted(ctx, clusters, next);
  return { state: { ...next, dnsZoneId: zoneIds[0], records: sample(records), recordCount: records.length } };
};

export type { Ctx as DnsCtx };
