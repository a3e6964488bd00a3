import type { DnsCtx } from './ensure-dns.ts';
import { noteChange, type LinkState } from './types.ts';
import type { ListedZone } from './vpc-zone.ts';
import { deleteUnboundZone } from './zone-delete.ts';

/**
 * Deletes this link's spare zones of a name once another serves it: a duplicate a late AddZone
 * reply left (the request applied after the run had given up on it and made another), or the zone
 * of a run that lost the race to bind the VPC. Spares are bound to no VPC (vpc-zone.ts), so
 * nothing resolves through them; the one kept is the zone bound to the VPC, else the oldest.
 */
export async function sweepSpares(ctx: DnsCtx, spares: ListedZone[], kept: ListedZone, state: LinkState): Promise<LinkState> {
  let next = state;
  for (const zone of spares) {
    const outcome = await deleteUnboundZone(ctx.deps.aliyun.privateZone, ctx.deps.clock, zone.ZoneId, (p) => ctx.token('del-spare', p));
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
