import type { Timeline } from '../../fixtures.ts';
import type { IdFactory } from '../../ids.ts';

/** A zone's binding to a VPC as PrivateZone keeps it (DescribeZoneInfo BindVpcs.Vpc). */
export interface ZoneBinding {
  vpcId: string;
  regionId: string;
  vpcType: 'STANDARD' | 'EDS';
  /** The VPC's owner account. */
  vpcUserId: string;
}

export interface ZoneRecord {
  recordId: number;
  rr: string;
  type: string;
  value: string;
  ttl: number;
  remark?: string;
  status: 'ENABLE' | 'DISABLE';
  createdAt: number;
  updatedAt: number;
}

export interface PrivateZone {
  zoneId: string;
  accountId: string;
  zoneName: string;
  proxyPattern: 'ZONE' | 'RECORD';
  remark?: string;
  records: ZoneRecord[];
  bindings: ZoneBinding[];
  /** When the last binding was removed: DeleteZone answers Zone.VpcExists until `zoneUnbindSettleMs` later. */
  unboundAt?: number;
  createdAt: number;
}

/** PrivateZone's zones with their records and VPC bindings, and the unbinding's settling window. */
export class PrivateZoneModel {
  readonly zones = new Map<string, PrivateZone>();

  constructor(
    private readonly time: Timeline,
    private readonly ids: IdFactory,
  ) {}

  /** The caller's view. PrivateZone is not regional (its zone actions take no RegionId): zones are the account's. */
  scoped(accountId: string) {
    const mine = (zone: PrivateZone) => zone.accountId === accountId;
    return {
      /** The caller's zone, or undefined (another account's is not found). */
      zone: (zoneId: string | undefined): PrivateZone | undefined => {
        const zone = zoneId === undefined ? undefined : this.zones.get(zoneId);
        return zone && mine(zone) ? zone : undefined;
      },
      zones: (): PrivateZone[] => [...this.zones.values()].filter(mine),
      /** The caller's record (record IDs are unique across zones) with its zone. */
      record: (recordId: number): { zone: PrivateZone; record: ZoneRecord } | undefined => {
        for (const zone of this.zones.values()) {
          const record = mine(zone) ? zone.records.find((r) => r.recordId === recordId) : undefined;
          if (record) return { zone, record };
        }
        return undefined;
      },
    };
  }

  addZone(accountId: string, fields: Pick<PrivateZone, 'zoneName' | 'proxyPattern' | 'remark' | 'bindings'>): PrivateZone {
    const zoneId = this.ids.zoneId();
    const zone: PrivateZone = { zoneId, accountId, ...fields, records: [], createdAt: this.time.now() };
    this.zones.set(zoneId, zone);
    return zone;
  }

  addRecord(zone: PrivateZone, fields: Pick<ZoneRecord, 'rr' | 'type' | 'value' | 'ttl' | 'remark'>): ZoneRecord {
    const now = this.time.now();
    const record: ZoneRecord = { recordId: this.ids.nextNumber(), ...fields, status: 'ENABLE', createdAt: now, updatedAt: now };
    zone.records.push(record);
    return record;
  }

  /** Replaces the zone's whole binding set; one that loses a VPC starts the Zone.VpcExists window. */
  bind(zone: PrivateZone, bindings: ZoneBinding[]): void {
    if (bindings.length < zone.bindings.length) zone.unboundAt = this.time.now();
    zone.bindings = bindings;
  }

  /** Bound to a VPC, or unbound less than `zoneUnbindSettleMs` ago. */
  hasVpcs(zone: PrivateZone): boolean {
    const settling = zone.unboundAt !== undefined && this.time.now() < zone.unboundAt + this.time.timings.zoneUnbindSettleMs;
    return zone.bindings.length > 0 || settling;
  }

  /** Another zone of the same name, whoever's, is bound to one of the VPCs. */
  sameNameBound(zone: PrivateZone, vpcIds: string[]): boolean {
    return [...this.zones.values()].some(
      (other) => other !== zone && other.zoneName === zone.zoneName && other.bindings.some((b) => vpcIds.includes(b.vpcId)),
    );
  }
}
