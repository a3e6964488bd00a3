import { DETAIL_SAMPLE } from './bounded.ts';
import type { DnsCtx } from './ensure-dns.ts';
import { noteChange, type ClusterTarget, type LinkState } from './types.ts';
import { foreignIn, foreignNote } from './foreign-records.ts';
import { fqdnOf, removalRisk, unlistedIn, wantedKey, zonesToScan, type UnlistedRecord } from './unlisted-records.ts';
import { zonesServing, zplMade, type ListedZone } from './vpc-zone.ts';
import { unbindVpc } from './zone-bindings.ts';
import { deleteRecord, deleteUnboundZone } from './zone-delete.ts';

/**
 * Removals are part of converging: the records this link owns (Remark) in the zones serving its
 * VPC that the spec no longer lists are deleted, and a zone zpl made that is left empty under a
 * name the spec no longer wants is unbound from the VPC and deleted (`cluster-zone` layout: a zone
 * per cluster). Another link's record goes only where it sends this VPC to another VPC's
 * endpoint (foreign-records.ts); a user's record never.
 */
export async function removeUnlisted(ctx: DnsCtx, clusters: ClusterTarget[], state: LinkState): Promise<LinkState> {
  const pvtz = ctx.deps.aliyun.privateZone;
  const wanted = new Set(clusters.map((c) => wantedKey(c.zoneName, c.rr)));
  const unlisted: UnlistedRecord[] = [];
  let next = state;
  for (const zone of zonesToScan(await zonesServing(pvtz, ctx.link), wanted)) {
    const records = await pvtz.records(zone.ZoneId);
    unlisted.push(...unlistedIn(zone, records, ctx.link.linkId, wanted));
    for (const r of await foreignIn(ctx.deps.aliyun, ctx.link, zone, records)) {
      await deleteRecord(pvtz, r.RecordId, ctx.token(`del-foreign-${r.RecordId}`));
      next = noteChange(next, {
        step: 'EnsureDns',
        action: 'deleted',
        resource: 'CNAME record',
        id: String(r.RecordId),
        note: foreignNote(fqdnOf(zone.ZoneName, r.Rr), r),
      });
    }
  }
  for (const [i, u] of unlisted.entries()) {
    const id = u.record.RecordId;
    await deleteRecord(pvtz, id, ctx.token(`del-record-${id}`));
    if (i < DETAIL_SAMPLE)
      next = noteChange(next, {
        step: 'EnsureDns',
        action: 'deleted',
        resource: 'CNAME record',
        id: String(id),
        note: `${u.fqdn}: no longer in the spec; ${removalRisk(u.zone, u.fqdn)}`,
      });
  }
  if (unlisted.length > DETAIL_SAMPLE)
    next = noteChange(next, {
      step: 'EnsureDns',
      action: 'deleted',
      resource: 'CNAME records',
      note: `${unlisted.length - DETAIL_SAMPLE} more`,
    });
  const names = new Set(clusters.map((c) => c.zoneName.toLowerCase()));
  const emptied = new Map(unlisted.map((u) => [u.zone.ZoneId, u.zone]));
  for (const zone of emptied.values())
    if (zplMade(zone) && !names.has(zone.ZoneName.toLowerCase())) next = await retireZone(ctx, zone, next);
  return next;
}

/** A zone zpl made that no record needs any more: unbound from the VPC, then deleted unless another VPC or record still holds it. */
async function retireZone(ctx: DnsCtx, zone: ListedZone, state: LinkState): Promise<LinkState> {
  const pvtz = ctx.deps.aliyun.privateZone;
  const note = (action: 'deleted' | 'gone' | 'kept' | 'unbound', what: string) =>
    noteChange(state, { step: 'EnsureDns', action, resource: 'private zone', id: zone.ZoneId, note: `${zone.ZoneName}: ${what}` });
  const left = (await pvtz.records(zone.ZoneId)).length;
  if (left > 0) return note('kept', `${left} other record(s) remain`);
  const bindings = await unbindVpc(pvtz, zone.ZoneId, ctx.link.vpcId, (p) => ctx.token('retire-unbind', p));
  if (!bindings) return note('gone', 'already deleted');
  if (bindings.length > 0)
    return note('unbound', `no record left for ${ctx.link.vpcId}; still bound to ${bindings.map((b) => b.vpcId).join(', ')}`);
  const outcome = await deleteUnboundZone(pvtz, ctx.deps.clock, zone.ZoneId, (p) => ctx.token('retire-zone', p));
  return outcome === 'still bound'
    ? note('kept', 'left empty and unbound: PrivateZone still answered Zone.VpcExists after the unbinding')
    : note(outcome, 'no longer in the spec');
}
