import { isAliyunError } from '../aliyun/errors.ts';
import type { PrivateZoneApi } from '../aliyun/pvtz.ts';
import { linkId, spreadTag, TAG } from '../derived.ts';
import { remarkIsLink } from '../pvtz-remark.ts';
import { clusterHosts, isKnown } from './cluster-hosts.ts';
import { lingerUntilReady, waitStep } from './polling.ts';
import {
  noteChange,
  StepFailure,
  tokensFor,
  type Change,
  type LinkState,
  type PlannedZone,
  type Step,
  type StepDeps,
  type StepResult,
  type Tokens,
} from './types.ts';
import { bindingsFound, unbindVpc } from './zone-bindings.ts';
import { deleteRecord, tryDelete } from './zone-delete.ts';
import { zplMade } from './vpc-zone.ts';

const WAIT = 'zone-unbound';

/**
 * DNS first: the records zpl owns for the clusters going away; then each zone nothing needs any
 * more (releaseZone): unbound from the VPC (every other binding kept as found) and deleted if zpl
 * made it. For single clusters, the endpoint's recorded cluster list shrinks.
 *
 * A wait step: right after the unbinding, DeleteZone can still answer `Zone.VpcExists` ("Zone
 * have vpc bound.", HTTP 400: the pvtz metadata lists it under DescribeZoneInfo; DeleteZone lists no codes) for a while; the Terraform provider retries that
 * code for the whole delete timeout (resource_alicloud_pvtz_zone.go, resourceAlicloudPvtzZoneDelete).
 * So: ask again every few seconds within this invocation, then let the flow poll, up to the
 * endpoint deadline. A re-run repeats nothing already done (records and binding are gone).
 */
export const removeDns: Step = async (input, deps) => {
  const { spec, state } = input;
  const plan = state.teardown;
  if (!plan) throw new StepFailure('State.Incomplete', 'no teardown plan: the TeardownPlan step did not run');
  const token = tokensFor(input);
  const pvtz = deps.aliyun.privateZone;
  let next = state;
  const toDelete: { zoneId: string; zoneName: string }[] = [];
  // A plan made before it listed record names: name them now (the published layout or Zilliz's host).
  const legacy = plan.zones.some((z) => !z.rrs) ? (await clusterHosts(spec, plan.clusters, deps.zilliz)).filter(isKnown) : [];
  for (const zone of plan.zones) {
    const rrs = new Set(zone.rrs ?? legacy.filter((h) => h.record.zoneName === zone.zoneName).map((h) => h.record.rr));
    // A zone already gone (an earlier attempt of this step deleted it) leaves nothing to do.
    const records = await pvtz.records(zone.zoneId).catch((e: unknown) => {
      if (isAliyunError(e, 'Zone.NotExists')) return undefined;
      throw e;
    });
    if (!records) {
      next = noteChange(next, { step: 'RemoveDns', action: 'gone', resource: 'private zone', id: zone.zoneId, note: zone.zoneName });
      continue;
    }
    const deleted = new Set<number>();
    for (const r of records.filter((x) => rrs.has(x.Rr))) {
      if (!remarkIsLink(r.Remark, linkId(spec))) {
        next = noteChange(next, {
          step: 'RemoveDns',
          action: 'kept',
          resource: 'record',
          id: String(r.RecordId),
          note: `${r.Rr}: not created by zpl`,
        });
        continue;
      }
      await deleteRecord(pvtz, r.RecordId, token(`del-record-${r.RecordId}`));
      deleted.add(r.RecordId);
      next = noteChange(next, { step: 'RemoveDns', action: 'deleted', resource: 'record', id: String(r.RecordId), note: r.Rr });
    }
    const left = records.filter((r) => !deleted.has(r.RecordId));
    const release = await releaseZone(zone, left, spec.vpcId, pvtz, token);
    for (const change of release.changes) next = noteChange(next, change);
    if (release.delete) toDelete.push(zone);
  }
  if (plan.scope === 'clusters' && plan.endpointId && plan.endpointOurs && plan.remaining.length > 0) {
    const tags = spreadTag(TAG.clusters, plan.remaining);
    await deps.aliyun.privateLink.tagEndpoint(plan.endpointId, tags, token('clusters-tag', tags));
    next = noteChange(next, {
      step: 'RemoveDns',
      action: 'updated',
      resource: 'endpoint desired-state tags',
      id: plan.endpointId,
      note: `clusters ${plan.remaining.join(', ')}`,
    });
  }
  return deleteZones(spec.deadlines.endpointActiveSeconds, next, toDelete, deps, token);
};

/** Deletes the emptied zones, waiting while PrivateZone still counts the removed binding. */
/**
 * What a zone still needs once this link's records are gone. A zone zpl made (by any link: it
 * serves every zpl link in the VPC) with no record left is unbound from the VPC and, bound nowhere
 * else, deleted; one still holding records (another link's or a user's) keeps its binding. A user's
 * zone an older zpl bound (`zpl:bound`) is unbound once no zpl record is left in it; a user's zone
 * bound by its owner is left as found.
 */
async function releaseZone(
  zone: PlannedZone,
  left: { Remark?: string }[],
  vpcId: string,
  pvtz: PrivateZoneApi,
  token: Tokens,
): Promise<{ delete: boolean; changes: Change[] }> {
  const changes: Change[] = [];
  const kept = (note: string) => changes.push({ step: 'RemoveDns', action: 'kept', resource: 'private zone', id: zone.zoneId, note });
  const needed = zone.ours ? left.length : left.filter(zplMade).length;
  if (needed > 0) {
    if (zone.ours) kept(`${needed} other record(s) or other bindings remain`);
    return { delete: false, changes };
  }
  const info = zone.ours || zone.bindingOurs ? await pvtz.zoneInfo(zone.zoneId) : undefined;
  if (!info) return { delete: false, changes };
  let others = bindingsFound(info.BindVpcs.Vpc);
  if (others.some((b) => b.vpcId === vpcId)) {
    others = (await unbindVpc(pvtz, zone.zoneId, vpcId, (p) => token('unbind', p))) ?? [];
    changes.push({
      step: 'RemoveDns',
      action: 'unbound',
      resource: 'private zone from VPC',
      id: vpcId,
      note: others.length ? `kept ${others.map((b) => b.vpcId).join(', ')}` : undefined,
    });
  }
  if (!zone.ours) return { delete: false, changes };
  if (others.length > 0) kept(`${others.length} other record(s) or other bindings remain`);
  return { delete: others.length === 0, changes };
}

async function deleteZones(
  seconds: number,
  state: LinkState,
  zones: { zoneId: string; zoneName: string }[],
  deps: StepDeps,
  token: Tokens,
): Promise<StepResult> {
  let next = state;
  let pending = zones;
  const { since } = await lingerUntilReady(deps.clock, state, WAIT, async () => {
    const still: typeof zones = [];
    for (const zone of pending) {
      // A fresh ClientToken per attempt: a token repeated after a refusal might be answered from the refusal.
      const outcome = await tryDelete(
        deps.aliyun.privateZone,
        zone.zoneId,
        token('del-zone', { zoneId: zone.zoneId, at: deps.clock.now() }),
      );
      if (outcome === 'still bound') still.push(zone);
      else next = noteChange(next, { step: 'RemoveDns', action: outcome, resource: 'private zone', id: zone.zoneId, note: zone.zoneName });
    }
    pending = still;
    return { ready: pending.length === 0 };
  });
  const names = pending.map((z) => `${z.zoneName} (${z.zoneId})`).join(', ');
  const polled = waitStep(
    next,
    WAIT,
    seconds,
    deps.clock.now(),
    pending.length === 0,
    `private zone ${names} to let go of the removed VPC binding (Zone.VpcExists)`,
    since,
  );
  if (polled.expired)
    throw new StepFailure(
      'Wait.ZoneStillBound',
      `private zone ${names} still answered Zone.VpcExists ${seconds}s after its VPC binding was removed: someone may have bound a VPC to it again`,
    );
  return { state: polled.state, wait: polled.wait };
}
