import { isAliyunError } from './errors.ts';
import { allByPage } from '../paging.ts';
import type { AliyunTransport } from './rpc.ts';
import { PVTZ } from './catalog/pvtz.ts';

export type ProxyPattern = 'ZONE' | 'RECORD';

/**
 * PrivateZone 2018-01-01: one global endpoint, arrays wrapped (`Zones.Zone[]`).
 * The region passed to the transport only picks credentials' region; the host is global.
 */
export class PrivateZoneApi {
  constructor(
    private readonly rpc: AliyunTransport,
    private readonly region: string,
  ) {
    rpc.use('pvtz', PVTZ);
  }

  /** PrivateZone's activation state for the account: CLOSED, OPENED, IN_DEBT or IN_DEBT_OVER_DUE (catalog, DescribeUserServiceStatus). */
  async serviceStatus(): Promise<string> {
    return (await this.rpc.call('pvtz', 'DescribeUserServiceStatus', this.region, {})).Status;
  }

  /** How many zones the account has (DescribeZones `TotalItems`, one item read). */
  async zoneCount(): Promise<number> {
    return (await this.rpc.call('pvtz', 'DescribeZones', this.region, { PageNumber: 1, PageSize: 1 })).TotalItems;
  }

  /** Zones whose name is exactly `zoneName` (same-name zones can coexist). */
  zonesNamed(zoneName: string) {
    return allByPage(async (PageNumber) => {
      const r = await this.rpc.call('pvtz', 'DescribeZones', this.region, {
        Keyword: zoneName,
        SearchMode: 'EXACT',
        PageNumber,
        PageSize: 100,
      });
      return { items: r.Zones.Zone.filter((z) => z.ZoneName === zoneName), total: r.TotalItems };
    });
  }

  /**
   * Zones bound to a VPC: DescribeZones `QueryVpcId`, with `QueryRegionId` "the region ID of the VPC
   * associated with the zone" (Terraform alicloud_pvtz_zones `query_region_id`, which sends both);
   * `PageSize` at most 100 (pvtz metadata, DescribeZones).
   */
  zonesBoundTo(vpcId: string, regionId?: string) {
    return allByPage(async (PageNumber) => {
      const r = await this.rpc.call('pvtz', 'DescribeZones', this.region, {
        QueryVpcId: vpcId,
        ...(regionId ? { QueryRegionId: regionId } : {}),
        PageNumber,
        PageSize: 100,
      });
      return { items: r.Zones.Zone, total: r.TotalItems };
    });
  }

  addZone(zoneName: string, proxyPattern: ProxyPattern, clientToken: string) {
    return this.rpc.call('pvtz', 'AddZone', this.region, { ZoneName: zoneName, ProxyPattern: proxyPattern, ClientToken: clientToken });
  }

  /** The zone with its VPC bindings, or undefined when it does not exist. */
  async zoneInfo(zoneId: string) {
    try {
      return await this.rpc.call('pvtz', 'DescribeZoneInfo', this.region, { ZoneId: zoneId });
    } catch (e) {
      if (isAliyunError(e, /^Zone\.(NotExists|Invalid\.Id)$/)) return undefined;
      throw e;
    }
  }

  setRemark(zoneId: string, remark: string, clientToken: string) {
    return this.rpc.call('pvtz', 'UpdateZoneRemark', this.region, { ZoneId: zoneId, Remark: remark, ClientToken: clientToken });
  }

  setProxyPattern(zoneId: string, proxyPattern: ProxyPattern, clientToken: string) {
    return this.rpc.call('pvtz', 'SetProxyPattern', this.region, { ZoneId: zoneId, ProxyPattern: proxyPattern, ClientToken: clientToken });
  }

  records(zoneId: string, rr?: string) {
    return allByPage(async (PageNumber) => {
      const r = await this.rpc.call('pvtz', 'DescribeZoneRecords', this.region, {
        ZoneId: zoneId,
        Keyword: rr,
        SearchMode: rr ? 'EXACT' : undefined,
        PageNumber,
        PageSize: 100,
      });
      return { items: r.Records.Record, total: r.TotalItems };
    });
  }

  addRecord(zoneId: string, record: { rr: string; type: 'CNAME' | 'A'; value: string; ttl: number; remark: string }, clientToken: string) {
    return this.rpc.call('pvtz', 'AddZoneRecord', this.region, {
      ZoneId: zoneId,
      Rr: record.rr,
      Type: record.type,
      Value: record.value,
      Ttl: record.ttl,
      Remark: record.remark,
      ClientToken: clientToken,
    });
  }

  updateRecord(recordId: number, record: { rr: string; type: 'CNAME' | 'A'; value: string; ttl: number }, clientToken: string) {
    return this.rpc.call('pvtz', 'UpdateZoneRecord', this.region, {
      RecordId: recordId,
      Rr: record.rr,
      Type: record.type,
      Value: record.value,
      Ttl: record.ttl,
      ClientToken: clientToken,
    });
  }

  setRecordStatus(recordId: number, status: 'ENABLE' | 'DISABLE', clientToken: string) {
    return this.rpc.call('pvtz', 'SetZoneRecordStatus', this.region, { RecordId: recordId, Status: status, ClientToken: clientToken });
  }

  setRecordRemark(recordId: number, remark: string, clientToken: string) {
    return this.rpc.call('pvtz', 'UpdateRecordRemark', this.region, { RecordId: recordId, Remark: remark, ClientToken: clientToken });
  }

  deleteRecord(recordId: number, clientToken: string) {
    return this.rpc.call('pvtz', 'DeleteZoneRecord', this.region, { RecordId: recordId, ClientToken: clientToken });
  }

  /**
   * Sets the zone's VPC bindings to exactly `vpcs`: BindZoneVpc replaces the whole set. Each
   * binding's `VpcType` goes along when known (`Vpcs.N.VpcType`, pvtz metadata BindZoneVpc).
   */
  setBindings(zoneId: string, vpcs: { vpcId: string; regionId: string; vpcType?: string }[], clientToken: string) {
    return this.rpc.call('pvtz', 'BindZoneVpc', this.region, {
      ZoneId: zoneId,
      Vpcs: vpcs.map((v) => ({ VpcId: v.vpcId, RegionId: v.regionId, ...(v.vpcType ? { VpcType: v.vpcType } : {}) })),
      ClientToken: clientToken,
    });
  }

  deleteZone(zoneId: string, clientToken: string) {
    return this.rpc.call('pvtz', 'DeleteZone', this.region, { ZoneId: zoneId, ClientToken: clientToken });
  }
}
