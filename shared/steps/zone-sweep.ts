import type { DnsCtx } from './ensure-dns.ts';
import { noteChange, type LinkState } from './types.ts';
import type { ListedZone } from './vpc-zone.ts';
import { unbindVpc } from './zone-bindings.ts';
import { deleteUnboundZone, tryDelete } from './zone-delete.ts';

/**
 * Deletes this link's spare zones of a name once another serves it: a duplicate a late AddZone
 * reply left (the request applied after the run had given up on it and made another), or the zone
 * of a run that lost the race to bind the VPC. Spares are bound to no VPC but this one (vpc-zone.ts);
 * the one kept is the zone bound to the VPC (the oldest, were two ever bound), else the oldest.
 */
export async function sweepSpares(ctx: DnsCtx, spares: ListedZone[], kept: ListedZone, state: LinkState): Promise<LinkState> {
  let next = state;
  for (const zone of spares) {
    const pvtz = ctx.deps.aliyun.privateZone;
    let outcome = await tryDelete(pvtz, zone.ZoneId, ctx.token('del-spare', { zoneId: zone.ZoneId, at: ctx.deps.clock.now() }));
    // Bound to this VPC beside the zone kept: unbound first, then deleted once PrivateZone lets go of the binding.
    if (
      outcome === 'still bound' &&
      (await unbindVpc(pvtz, zone.ZoneId, ctx.link.vpcId, (p) => ctx.token('unbind-spare', p)))?.length === 0
    )
      outcome = await deleteUnboundZone(pvtz, ctx.deps.clock, zone.ZoneId, (p) => ctx.token('del-spare', p));
    next = noteChange(next, {
      step: 'EnsureDns',
      action: outcome === 'still bound' ? 'kept' : outcome,
      resource: 'private zone',
      id: zone.ZoneId,
      note:
        outcome === 'still bound'
          ? `${zone.ZoneName}: a duplicate PrivateZone still counts as bound (Zone.VpcExists); a later run deletes it`
          : `${zone.ZoneName}: a duplicate this link made; ${kept.ZoneId} serves the VPC`,
    });
  }
  return next;
}
