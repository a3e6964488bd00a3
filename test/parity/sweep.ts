import { allByToken } from '../../shared/paging.ts';
import type { CaseContext } from './context.ts';

/**
 * Removing what the write cases make: each case registers its own clean-up as it creates
 * (run in `finally`), and the sweeper removes what an interrupted run left behind, found by the
 * run's tag (security groups, endpoints) or zone name and remark (PrivateZone zones).
 */
export const PARITY_TAG_KEY = 'zpl-parity';
/** Parity zones are `<runId>.zpl-parity.test`: `.test` is reserved (RFC 2606), so no such name resolves anywhere. */
export const PARITY_ZONE_SUFFIX = 'zpl-parity.test';

const region = (ctx: CaseContext) => ({ RegionId: ctx.sandbox.region });
const codeOf = (e: unknown) => String((e as { code?: unknown }).code ?? '');

/** DeleteSecurityGroup, repeated while an endpoint's interfaces still hold the group (`DependencyViolation`, ECS metadata 403). */
export async function deleteSecurityGroupWhenFree(ctx: CaseContext, id: string): Promise<void> {
  await ctx.until(async () => {
    try {
      await ctx.quietly('Ecs', 'DeleteSecurityGroup', { ...region(ctx), SecurityGroupId: id });
      return true;
    } catch (e) {
      if (/NotFound/.test(codeOf(e))) return true;
      if (codeOf(e) === 'DependencyViolation') return false;
      throw e;
    }
  }, `security group ${id} deleted`);
}

export async function deleteZoneRecords(ctx: CaseContext, zoneId: string): Promise<void> {
  const listed = await ctx.quietly('pvtz', 'DescribeZoneRecords', { ZoneId: zoneId, PageSize: 100 });
  const records = (listed.Records as { Record?: { RecordId: number }[] } | undefined)?.Record ?? [];
  for (const r of records) await ctx.quietly('pvtz', 'DeleteZoneRecord', { RecordId: r.RecordId });
}

/** Its records, then the zone; a zone already gone is fine. */
export async function deleteZone(ctx: CaseContext, zoneId: string): Promise<void> {
  try {
    await deleteZoneRecords(ctx, zoneId);
    await ctx.quietly('pvtz', 'DeleteZone', { ZoneId: zoneId });
  } catch (e) {
    if (codeOf(e) !== 'Zone.NotExists') throw e;
  }
}

/**
 * Deletes an endpoint and waits until it is gone, as the product's DeleteEndpoint step does
 * (shared/steps/delete-endpoint.ts): its zones first, one at a time ("删除终端节点之前，请先删除终端节点中已添加的
 * 可用区", "不支持给同一个终端节点实例并发删除可用区", privatelink metadata), then the endpoint; a busy
 * endpoint is asked again on the next poll.
 */
export async function deleteEndpoint(ctx: CaseContext, id: string): Promise<void> {
  const ask = (action: string, params: Record<string, string>) =>
    ctx.quietly('Privatelink', action, { ...region(ctx), EndpointId: id, ...params }).catch((e: unknown) => {
      if (!BUSY.test(codeOf(e))) throw e;
    });
  await ctx.until(async () => {
    let ep: Record<string, unknown>;
    try {
      ep = await ctx.quietly('Privatelink', 'GetVpcEndpointAttribute', { ...region(ctx), EndpointId: id });
    } catch (e) {
      if (codeOf(e) === 'EndpointNotFound') return true;
      throw e;
    }
    if (ep.EndpointStatus === 'Deleting') return false;
    const zones = ((await ctx.quietly('Privatelink', 'ListVpcEndpointZones', { ...region(ctx), EndpointId: id })).Zones ?? []) as {
      ZoneId: string;
      ZoneStatus: string;
    }[];
    if (zones.some((z) => z.ZoneStatus === 'Deleting')) return false;
    if (zones.length > 0) await ask('RemoveZoneFromVpcEndpoint', { ZoneId: zones[0]!.ZoneId });
    else await ask('DeleteVpcEndpoint', {});
    return false;
  }, `endpoint ${id} deleted`);
}

/** Codes of an endpoint busy with another operation (shared/steps/delete-endpoint.ts, the same list). */
const BUSY =
  /^(EndpointLocked|EndpointOperationDenied|EndpointConnectionOperationDenied|ConcurrentCallNotSupported|IncorrectStatus\.VpcEndpoint|EndpointZoneNotFound)/;

const tagged = (tags: unknown, key: string): string | undefined => {
  const list = Array.isArray(tags) ? tags : ((tags as { Tag?: unknown[] } | undefined)?.Tag ?? []);
  const tag = (list as { Key?: string; TagKey?: string; Value?: string; TagValue?: string }[]).find((t) => (t.Key ?? t.TagKey) === key);
  return tag ? (tag.Value ?? tag.TagValue ?? '') : undefined;
};

/**
 * Removes every parity resource in the sandbox but `keepRunId`'s: endpoints first (their
 * interfaces hold the security groups), then the groups, then the zones. Returns what it removed.
 */
export async function sweepLeftovers(ctx: CaseContext, keepRunId?: string): Promise<string[]> {
  const removed: string[] = [];
  const mine = (runId: string | undefined) => runId !== undefined && runId !== keepRunId;
  const endpoints = await allByToken(async (NextToken) => {
    const r = await ctx.quietly('Privatelink', 'ListVpcEndpoints', { ...region(ctx), VpcId: ctx.sandbox.vpcId, MaxResults: 50, NextToken });
    return { items: (r.Endpoints ?? []) as { EndpointId: string; Tags?: unknown }[], nextToken: r.NextToken as string | undefined };
  });
  for (const ep of endpoints) {
    if (!mine(tagged(ep.Tags, PARITY_TAG_KEY))) continue;
    await deleteEndpoint(ctx, ep.EndpointId);
    removed.push(`endpoint ${ep.EndpointId}`);
  }
  const groups = await allByToken(async (NextToken) => {
    const r = await ctx.quietly('Ecs', 'DescribeSecurityGroups', { ...region(ctx), VpcId: ctx.sandbox.vpcId, MaxResults: 100, NextToken });
    const page = (r.SecurityGroups as { SecurityGroup: { SecurityGroupId: string; Tags?: unknown }[] }).SecurityGroup;
    return { items: page, nextToken: (r.NextToken as string | undefined) || undefined };
  });
  for (const g of groups) {
    if (!mine(tagged(g.Tags, PARITY_TAG_KEY))) continue;
    await deleteSecurityGroupWhenFree(ctx, g.SecurityGroupId);
    removed.push(`security group ${g.SecurityGroupId}`);
  }
  const zones = await ctx.quietly('pvtz', 'DescribeZones', { Keyword: PARITY_ZONE_SUFFIX, SearchMode: 'LIKE', PageSize: 100 });
  for (const z of (zones.Zones as { Zone: { ZoneId: string; ZoneName: string; Remark?: string }[] }).Zone) {
    const runId = z.ZoneName.endsWith(`.${PARITY_ZONE_SUFFIX}`) ? z.ZoneName.slice(0, -PARITY_ZONE_SUFFIX.length - 1) : undefined;
    if (!mine(runId)) continue;
    await deleteZone(ctx, z.ZoneId);
    removed.push(`zone ${z.ZoneName} (${z.ZoneId})`);
  }
  return removed;
}
