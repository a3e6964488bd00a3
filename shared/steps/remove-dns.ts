import { isAliyunError } from '../aliyun/errors.ts';
import type { PrivateZoneApi } from '../aliyun/pvtz.ts';
import { linkId, spreadTag, TAG } from '../derived.ts';
import { remarkIsLink } from '../pvtz-remark.ts';
import { clusterHosts, isKnown } from './cluster-hosts.ts';
import { lingerUntilReady, waitStep } from './polling.ts';
import { noteChange, StepFailure, tokensFor, type LinkState, type Step, type StepDeps, type StepResult, type Tokens } from './types.ts';
import { applyBindings, bindingsFound, withoutVpc } from './zone-bindings.ts';

const WAIT = 'zone-unbound';

/** A delete whose first reply was lost finds the thing gone on the retry: that is success. */
const gone = (code: string) => (e: unknown) => {
  if (!isAliyunError(e, code)) throw e;
};

/**
 * DNS first: the records zpl owns for the clusters going away; for a whole link also the VPC
 * binding zpl added (every other binding kept as found) and the zone if zpl created it and
 * nothing else is left in it. For single clusters, the endpoint's recorded cluster list shrinks.
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
      await pvtz.deleteRecord(r.RecordId, token(`del-record-${r.RecordId}`)).catch(gone('Record.NotExists'));
      next = noteChange(next, { step: 'RemoveDns', action: 'deleted', resource: 'record', id: String(r.RecordId), note: r.Rr });
    }
    if (plan.scope !== 'link') continue;
    const info = await pvtz.zoneInfo(zone.zoneId);
    if (!info) continue;
    const bindings = bindingsFound(info.BindVpcs.Vpc);
    const others = withoutVpc(bindings, spec.vpcId);
    if (zone.bindingOurs && others.length !== bindings.length) {
      await applyBindings(pvtz, zone.zoneId, others, others, token('unbind', { zoneId: zone.zoneId, others }));
      next = noteChange(next, {
        step: 'RemoveDns',
        action: 'unbound',
        resource: 'private zone from VPC',
        id: spec.vpcId,
        note: others.length ? `kept ${others.map((b) => b.vpcId).join(', ')}` : undefined,
      });
    }
    const left = (await pvtz.records(zone.zoneId)).length;
    if (zone.ours && left === 0 && (zone.bindingOurs ? others.length === 0 : bindings.length === 0)) toDelete.push(zone);
    else if (zone.ours)
      next = noteChange(next, {
        step: 'RemoveDns',
        action: 'kept',
        resource: 'private zone',
        id: zone.zoneId,
        note: `${left} other record(s) or other bindings remain`,
      });
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

async function tryDelete(pvtz: PrivateZoneApi, zoneId: string, clientToken: string): Promise<'deleted' | 'gone' | 'still bound'> {
  try {
    await pvtz.deleteZone(zoneId, clientToken);
    return 'deleted';
  } catch (e) {
    if (isAliyunError(e, /^Zone\.(NotExists|Invalid\.Id)$/)) return 'gone';
    if (isAliyunError(e, 'Zone.VpcExists')) return 'still bound';
    throw e;
  }
}
