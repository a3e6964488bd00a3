import { MANAGED_BY, TAG } from '../derived.ts';
import { remarkLinkId } from '../pvtz-remark.ts';
import type { DnsCtx } from './ensure-dns.ts';
import { noteChange, type LinkState } from './types.ts';
import type { AliyunApis } from '../aliyun/index.ts';
import type { PrivateLinkApi } from '../aliyun/privatelink.ts';
import { createZone, vpcZone, zplMade, type LinkWhere, type ListedZone } from './vpc-zone.ts';
import { bindingsFound, bindVpc, unbindVpc } from './zone-bindings.ts';
import { deleteRecord } from './zone-delete.ts';

/**
 * Zones made before they were per VPC: one zone bound to several VPCs that each have a zpl link,
 * so every VPC resolved the other links' clusters to endpoints in other VPCs. One VPC keeps the
 * zone: the VPC of the link that made it (its Remark), else the smallest VPC ID; every other VPC
 * moves to a zone of its own when its link next runs: the zpl records pointing at that VPC's
 * endpoints are copied to its own zone (made or a spare reused), the VPC is unbound from the shared
 * zone and bound to its own, and the copied records leave the shared zone. Between the unbinding
 * and the binding the VPC resolves those names publicly (the recursive proxy) for a moment.
 * VPCs without a zpl link that someone bound to the zone are left as found.
 */

const norm = (domain: string) => domain.toLowerCase().replace(/\.$/, '');

/** The VPCs among `vpcIds` where zpl manages a link (an endpoint tagged `zpl:managed-by`). */
export async function vpcsWithLinks(pl: PrivateLinkApi, vpcIds: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const vpcId of vpcIds)
    if ((await pl.listEndpoints({ vpcId, tags: [{ Key: TAG.managedBy, Value: MANAGED_BY }] })).length) out.push(vpcId);
  return out;
}

/** The first of this link's zones bound elsewhere whose VPCs have no zpl link: binding it to the link's VPC shares no link's records. */
export async function firstUnlinked(
  pl: PrivateLinkApi,
  elsewhere: { zone: ListedZone; vpcIds: string[] }[],
): Promise<ListedZone | undefined> {
  for (const e of elsewhere) if ((await vpcsWithLinks(pl, e.vpcIds)).length === 0) return e.zone;
  return undefined;
}

/** Which VPC keeps a shared zone: its maker's, else the smallest ID (every run agrees, so only the others move). */
export function keeperOf(candidates: string[], makerVpc: string | undefined): string {
  return makerVpc && candidates.includes(makerVpc) ? makerVpc : [...candidates].sort()[0]!;
}

export interface Share {
  /** The other VPCs bound to the zone that have zpl links. */
  linked: string[];
  /** The VPC that keeps the zone. */
  keeper: string;
}

/** Whether a zone zpl made serving the link's VPC also serves other VPCs with zpl links (reads only), and which VPC keeps it. */
export async function shareOf(aliyun: AliyunApis, link: LinkWhere, zone: ListedZone): Promise<Share | undefined> {
  if (!zplMade(zone)) return undefined;
  const info = await aliyun.privateZone.zoneInfo(zone.ZoneId);
  const others = bindingsFound(info?.BindVpcs.Vpc ?? []).filter((b) => b.vpcId !== link.vpcId);
  if (others.length === 0) return undefined;
  const linked = await vpcsWithLinks(
    aliyun.privateLink,
    others.map((b) => b.vpcId),
  );
  if (linked.length === 0) return undefined;
  const maker = remarkLinkId(zone.Remark);
  const makerVpc = maker ? (await aliyun.privateLink.listEndpoints({ tags: [{ Key: TAG.link, Value: maker }] }))[0]?.VpcId : undefined;
  return { linked, keeper: keeperOf([link.vpcId, ...linked], makerVpc) };
}

export async function leaveSharedZone(ctx: DnsCtx, zone: ListedZone, state: LinkState): Promise<{ moved: boolean; state: LinkState }> {
  const share = await shareOf(ctx.deps.aliyun, ctx.link, zone);
  if (!share || share.keeper === ctx.link.vpcId) return { moved: false, state };
  const { linked, keeper } = share;
  const pvtz = ctx.deps.aliyun.privateZone;
  const pl = ctx.deps.aliyun.privateLink;
  const vpcId = ctx.link.vpcId;
  const domains = new Set((await pl.listEndpoints({ vpcId })).map((e) => norm(e.EndpointDomain)));
  const moving = (await pvtz.records(zone.ZoneId)).filter((r) => zplMade(r) && domains.has(norm(r.Value)));
  const home = (await vpcZone(pvtz, ctx.link, zone.ZoneName)).spares[0] ?? (await createZone(pvtz, ctx.link, zone.ZoneName, ctx.token));
  const there = new Set((await pvtz.records(home.ZoneId)).map((r) => `${r.Rr}|${r.Type}|${norm(r.Value)}`));
  for (const r of moving.filter((x) => !there.has(`${x.Rr}|${x.Type}|${norm(x.Value)}`))) {
    const record = { rr: r.Rr, type: r.Type as 'CNAME' | 'A', value: r.Value, ttl: r.Ttl, remark: r.Remark ?? '' };
    await pvtz.addRecord(home.ZoneId, record, ctx.token(`split-record-${r.RecordId}`, { zoneId: home.ZoneId, ...record }));
  }
  await unbindVpc(pvtz, zone.ZoneId, vpcId, (p) => ctx.token('split-unbind', p));
  await bindVpc(pvtz, home.ZoneId, { vpcId, regionId: ctx.link.region }, (p) => ctx.token('split-bind', p));
  for (const r of moving) await deleteRecord(pvtz, r.RecordId, ctx.token(`split-del-${r.RecordId}`));
  const next = noteChange(state, {
    step: 'EnsureDns',
    action: 'unbound',
    resource: 'shared private zone from VPC',
    id: zone.ZoneId,
    note: `${zone.ZoneName} also served ${linked.join(', ')} (zpl links there); ${vpcId} moved to zone ${home.ZoneId} with ${moving.length} record(s), ${keeper} keeps ${zone.ZoneId}`,
  });
  return { moved: true, state: next };
}
