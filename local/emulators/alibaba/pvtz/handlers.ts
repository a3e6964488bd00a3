import { type Handler, type HandlerContext, type Params, fail, iso, pageByNumber } from '../handler.ts';
import type { PrivateZone, ZoneBinding, ZoneRecord } from './model.ts';

/**
 * PrivateZone 2018-01-01 as Alibaba answers it. Codes from the metadata where it lists them
 * (`Zone.NotExists`, `Zone.VpcExists`, `ZoneVpc.Zone.Repeated`, `Zone.Remark`); record codes
 * (`Record.Invalid.Conflict`, `DomainRecordDuplicate`, `Record.NotExists`) are not in the
 * metadata and follow PrivateZone's naming.
 */

const RECORD_TYPES = ['A', 'AAAA', 'CNAME', 'TXT', 'MX', 'PTR', 'SRV'];

/**
 * Remarks: "50 characters long. It can only contain numbers,Chinese,English and special
 * characters: _ - , . ，。" (`Zone.Remark`, HTTP 400: metadata errorCodes of UpdateZoneRemark and
 * SetProxyPattern; UpdateRecordRemark lists the same code for a record's remark).
 */
const REMARK = /^[0-9A-Za-z\p{Script=Han}_\-,.，。]{0,50}$/u;
function checkRemark(remark: unknown) {
  if (remark !== undefined && !REMARK.test(String(remark))) {
    fail('Zone.Remark', '50  characters long.  It can only contain numbers,Chinese,English and  special characters: _ - , . ，。');
  }
}
const ZONE_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{1,63}$/i;
const RR = /^(@|\*|(\*\.)?[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*)$/i;

function ownZone(ctx: HandlerContext, zoneId: string): PrivateZone {
  return ctx.world.pvtz.scoped(ctx.accountId).zone(zoneId) ?? fail('Zone.NotExists', 'The zone does not exist.');
}

function ownRecord(ctx: HandlerContext, recordId: number): { zone: PrivateZone; record: ZoneRecord } {
  return ctx.world.pvtz.scoped(ctx.accountId).record(recordId) ?? fail('Record.NotExists', 'The record does not exist.');
}

function zoneView(zone: PrivateZone) {
  return {
    ZoneId: zone.zoneId,
    ZoneName: zone.zoneName,
    ProxyPattern: zone.proxyPattern,
    RecordCount: zone.records.length,
    Remark: zone.remark ?? '',
    ZoneType: 'AUTH_ZONE',
    IsPtr: false,
    DnsGroup: 'NORMAL_ZONE',
    DnsGroupChanging: false,
    ResourceGroupId: 'rg-acfmdefault000',
    CreateTime: iso(zone.createdAt),
    CreateTimestamp: zone.createdAt,
    UpdateTime: iso(zone.createdAt),
    UpdateTimestamp: zone.createdAt,
  };
}

function checkRecord(zone: PrivateZone, p: Params, self?: ZoneRecord) {
  if (!RR.test(p.Rr)) fail('Record.Invalid.Rr', `The record name ${p.Rr} is invalid.`);
  if (!RECORD_TYPES.includes(p.Type)) fail('Record.Invalid.Type', `The record type ${p.Type} is not supported.`);
  if (p.Ttl !== undefined && (p.Ttl < 5 || p.Ttl > 86_400)) fail('Record.Invalid.Ttl', 'The TTL must be between 5 and 86400.');
  if (p.Type === 'CNAME' && !ZONE_NAME.test(String(p.Value).replace(/\.$/, '')))
    fail('Record.Invalid.Value', 'A CNAME value must be a domain name.');
  const sameName = zone.records.filter((r) => r !== self && r.rr.toLowerCase() === String(p.Rr).toLowerCase());
  if (sameName.some((r) => r.type === p.Type && r.value === p.Value)) fail('DomainRecordDuplicate', 'The record already exists.');
  // A CNAME cannot coexist with any other record of the same name (RFC 1034 §3.6.2).
  if (sameName.length > 0 && (p.Type === 'CNAME' || sameName.some((r) => r.type === 'CNAME'))) {
    fail('Record.Invalid.Conflict', `The record ${p.Rr} conflicts with an existing record of the same name.`);
  }
}

export const privateZoneHandlers: Record<string, Handler> = {
  /** The account's seeded status (official SDK pvtz20180101 DescribeUserServiceStatusResponseBody: CLOSED, OPENED, IN_DEBT, IN_DEBT_OVER_DUE). */
  DescribeUserServiceStatus(ctx) {
    return { Status: ctx.world.accounts.get(ctx.accountId)?.privateZoneStatus ?? 'OPENED' };
  },

  DescribeZones(ctx, p) {
    const exact = p.SearchMode === 'EXACT';
    const keyword = p.Keyword ? String(p.Keyword).toLowerCase() : undefined;
    // QueryVpcId: zones bound to that VPC; QueryRegionId: "The region ID of the virtual private cloud (VPC)
    // associated with the zone" (Terraform alicloud_pvtz_zones docs, query_region_id): each narrows on its own.
    const boundAs = (b: ZoneBinding) => (!p.QueryVpcId || b.vpcId === p.QueryVpcId) && (!p.QueryRegionId || b.regionId === p.QueryRegionId);
    const zones = ctx.world.pvtz
      .scoped(ctx.accountId)
      .zones()
      .filter(
        (z) =>
          (!keyword || (exact ? z.zoneName.toLowerCase() === keyword : z.zoneName.toLowerCase().includes(keyword))) &&
          (!(p.QueryVpcId || p.QueryRegionId) || z.bindings.some(boundAs)),
      );
    const { page, pageNumber, pageSize, total, totalPages } = pageByNumber(zones, p, 20, 100);
    return { Zones: { Zone: page.map(zoneView) }, TotalItems: total, TotalPages: totalPages, PageNumber: pageNumber, PageSize: pageSize };
  },

  AddZone(ctx, p) {
    if (!p.ZoneName || !ZONE_NAME.test(p.ZoneName)) fail('Zone.Invalid.Name', 'The zone name is invalid.');
    const proxyPattern = p.ProxyPattern ?? 'ZONE';
    if (proxyPattern !== 'ZONE' && proxyPattern !== 'RECORD') fail('InvalidParameter', 'ProxyPattern must be ZONE or RECORD.');
    const zone = ctx.world.pvtz.addZone(ctx.accountId, { zoneName: String(p.ZoneName).toLowerCase(), proxyPattern, bindings: [] });
    return { ZoneId: zone.zoneId, ZoneName: zone.zoneName, Success: true };
  },

  DescribeZoneInfo(ctx, p) {
    const zone = ownZone(ctx, p.ZoneId);
    return {
      ...zoneView(zone),
      SlaveDns: false,
      Creator: ctx.accountId,
      CreatorType: 'USER',
      BindVpcs: {
        Vpc: zone.bindings.map((b) => ({
          VpcId: b.vpcId,
          RegionId: b.regionId,
          RegionName: b.regionId,
          VpcName: '',
          VpcType: b.vpcType,
          VpcUserId: Number(b.vpcUserId),
        })),
      },
    };
  },

  UpdateZoneRemark(ctx, p) {
    const zone = ownZone(ctx, p.ZoneId);
    checkRemark(p.Remark);
    zone.remark = p.Remark ?? '';
    return { ZoneId: zone.zoneId };
  },

  SetProxyPattern(ctx, p) {
    const zone = ownZone(ctx, p.ZoneId);
    if (p.ProxyPattern !== 'ZONE' && p.ProxyPattern !== 'RECORD') fail('InvalidParameter', 'ProxyPattern must be ZONE or RECORD.');
    zone.proxyPattern = p.ProxyPattern;
    return { ZoneId: zone.zoneId };
  },

  AddZoneRecord(ctx, p) {
    const zone = ownZone(ctx, p.ZoneId);
    checkRecord(zone, p);
    checkRemark(p.Remark);
    const record = ctx.world.pvtz.addRecord(zone, { rr: p.Rr, type: p.Type, value: p.Value, ttl: p.Ttl ?? 60, remark: p.Remark });
    return { RecordId: record.recordId, Success: true };
  },

  DescribeZoneRecords(ctx, p) {
    const zone = ownZone(ctx, p.ZoneId);
    const like = p.SearchMode === 'LIKE';
    const keyword = p.Keyword ? String(p.Keyword).toLowerCase() : undefined;
    const records = zone.records.filter((r) => !keyword || (like ? r.rr.toLowerCase().includes(keyword) : r.rr.toLowerCase() === keyword));
    const { page, pageNumber, pageSize, total, totalPages } = pageByNumber(records, p, 20, 100);
    return {
      Records: {
        Record: page.map((r) => ({
          RecordId: r.recordId,
          Rr: r.rr,
          Type: r.type,
          Value: r.value,
          Ttl: r.ttl,
          Status: r.status,
          Remark: r.remark ?? '',
          Line: 'default',
          Priority: 0,
          Weight: 1,
          ZoneId: zone.zoneId,
          CreateTime: iso(r.createdAt),
          CreateTimestamp: r.createdAt,
          UpdateTime: iso(r.updatedAt),
          UpdateTimestamp: r.updatedAt,
        })),
      },
      TotalItems: total,
      TotalPages: totalPages,
      PageNumber: pageNumber,
      PageSize: pageSize,
    };
  },

  UpdateZoneRecord(ctx, p) {
    const { zone, record } = ownRecord(ctx, p.RecordId);
    checkRecord(zone, p, record);
    Object.assign(record, { rr: p.Rr, type: p.Type, value: p.Value, ttl: p.Ttl ?? record.ttl, updatedAt: ctx.world.now() });
    return { RecordId: record.recordId };
  },

  SetZoneRecordStatus(ctx, p) {
    const { record } = ownRecord(ctx, p.RecordId);
    if (p.Status !== 'ENABLE' && p.Status !== 'DISABLE') fail('InvalidParameter', 'Status must be ENABLE or DISABLE.');
    record.status = p.Status;
    record.updatedAt = ctx.world.now();
    return { RecordId: record.recordId, Status: record.status };
  },

  UpdateRecordRemark(ctx, p) {
    const { record } = ownRecord(ctx, p.RecordId);
    checkRemark(p.Remark);
    record.remark = p.Remark ?? '';
    return { RecordId: record.recordId };
  },

  DeleteZoneRecord(ctx, p) {
    const { zone, record } = ownRecord(ctx, p.RecordId);
    zone.records = zone.records.filter((r) => r !== record);
    return { RecordId: record.recordId };
  },

  BindZoneVpc(ctx, p) {
    const zone = ownZone(ctx, p.ZoneId);
    const vpcs: { VpcId?: string; RegionId?: string; VpcType?: string }[] = p.Vpcs ?? [];
    const next: ZoneBinding[] = [];
    for (const v of vpcs) {
      // VpcType: STANDARD (the default) or EDS, a cloud-desktop workspace VPC (metadata, Vpcs.N.VpcType).
      const vpcType = v.VpcType ?? 'STANDARD';
      if (vpcType !== 'STANDARD' && vpcType !== 'EDS') fail('InvalidParameter', `VpcType ${vpcType} must be STANDARD or EDS.`);
      const found = v.VpcId ? ctx.world.vpc.vpcs.get(v.VpcId) : undefined;
      // A VPC is looked up as the type sent: an EDS workspace VPC sent without VpcType is not found.
      const vpc = found && found.regionId === v.RegionId && found.vpcType === vpcType ? found : undefined;
      if (!vpc) return fail('Vpc.NotExists', `The ${vpcType} VPC ${v.VpcId ?? ''} does not exist in ${v.RegionId ?? 'the region'}.`);
      // Another account's VPC stays that account's binding (DescribeZoneInfo VpcUserId).
      if (!next.some((n) => n.vpcId === v.VpcId))
        next.push({ vpcId: v.VpcId!, regionId: v.RegionId!, vpcType: vpc.vpcType, vpcUserId: vpc.accountId });
    }
    // A VPC cannot be bound to two zones of the same name: "ZoneVpc.Zone.Repeated: Vpc is bind to same zone name."
    // (HTTP 400, pvtz metadata BindZoneVpc errorCodes). Zones may share a name (AddZone lists no such refusal).
    const vpcIds = next.map((n) => n.vpcId);
    if (ctx.world.pvtz.sameNameBound(zone, vpcIds)) fail('ZoneVpc.Zone.Repeated', 'Vpc is bind to same zone name.');
    ctx.world.pvtz.bind(zone, next); // replaces the whole set: an empty list unbinds every VPC
    return {};
  },

  DeleteZone(ctx, p) {
    const zone = ownZone(ctx, p.ZoneId);
    // "Zone have vpc bound." (metadata, DescribeZoneInfo errorCodes, HTTP 400) while bound, and for a
    // while after the unbinding (the Terraform provider retries this code on DeleteZone).
    if (ctx.world.pvtz.hasVpcs(zone)) fail('Zone.VpcExists', 'Zone have vpc bound.');
    ctx.world.pvtz.zones.delete(zone.zoneId);
    return { ZoneId: zone.zoneId };
  },
};
