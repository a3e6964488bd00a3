import { isAliyunError } from '../aliyun/errors.ts';
import type { PrivateZoneApi } from '../aliyun/pvtz.ts';
import { StepFailure } from './types.ts';

/**
 * A zone's VPC bindings as PrivateZone reports them. BindZoneVpc replaces the whole set
 * (cloud-facts §2), so every change re-sends each binding found — with its `VpcType`
 * (STANDARD, or EDS for a cloud-desktop workspace VPC: BindZoneVpc `Vpcs.N.VpcType`, pvtz
 * metadata; also alibabacloud-go pvtz-20180101 `BindZoneVpcRequestVpcs`), or PrivateZone would
 * look the VPC up as a standard one.
 * `VpcUserId` ("vpc归属的用户Id；若为null则归属当前用户", DescribeZoneInfo BindVpcs.Vpc) names
 * the owner of a cross-account VPC; BindZoneVpc takes no such field, so such a binding is
 * re-sent by VpcId and checked afterwards to still be there with its owner.
 */
export interface ZoneBinding {
  vpcId: string;
  regionId: string;
  vpcType?: string;
  /** The VPC's owner when PrivateZone names one (a cross-account binding may name another account). */
  vpcUserId?: string;
}

type FoundVpc = { VpcId: string; RegionId: string; VpcType?: string; VpcUserId?: number | string | null };

/** The bindings in a DescribeZoneInfo answer, every field kept as found. */
export function bindingsFound(vpcs: FoundVpc[]): ZoneBinding[] {
  return vpcs.map((v) => ({
    vpcId: v.VpcId,
    regionId: v.RegionId,
    ...(v.VpcType ? { vpcType: v.VpcType } : {}),
    ...(v.VpcUserId !== undefined && v.VpcUserId !== null ? { vpcUserId: String(v.VpcUserId) } : {}),
  }));
}

/** The found bindings plus this link's VPC (a standard VPC of the account running zpl). */
export const withVpc = (found: ZoneBinding[], vpc: { vpcId: string; regionId: string }): ZoneBinding[] =>
  found.some((b) => b.vpcId === vpc.vpcId) ? found : [...found, { vpcId: vpc.vpcId, regionId: vpc.regionId, vpcType: 'STANDARD' }];

/** The found bindings without this link's VPC. */
export const withoutVpc = (found: ZoneBinding[], vpcId: string): ZoneBinding[] => found.filter((b) => b.vpcId !== vpcId);

/** Kept bindings that are gone or changed type or owner after a BindZoneVpc. */
export function lostBindings(kept: ZoneBinding[], after: ZoneBinding[]): ZoneBinding[] {
  return kept.filter((k) => {
    const now = after.find((a) => a.vpcId === k.vpcId);
    if (!now) return true;
    if (k.vpcType && now.vpcType && k.vpcType !== now.vpcType) return true;
    return Boolean(k.vpcUserId && now.vpcUserId && k.vpcUserId !== now.vpcUserId);
  });
}

const describe = (b: ZoneBinding) =>
  `${b.vpcId} (${b.regionId}${b.vpcType ? `, ${b.vpcType}` : ''}${b.vpcUserId ? `, account ${b.vpcUserId}` : ''})`;

/**
 * Sets the bindings to `wanted` and reads them back: a kept binding that did not survive (a
 * cross-account one PrivateZone would not re-bind by VpcId alone, say) fails the step naming
 * what to restore, rather than passing silently.
 */
export async function applyBindings(
  pvtz: PrivateZoneApi,
  zoneId: string,
  wanted: ZoneBinding[],
  kept: ZoneBinding[],
  clientToken: string,
): Promise<ZoneBinding[]> {
  await pvtz.setBindings(zoneId, wanted, clientToken);
  const info = await pvtz.zoneInfo(zoneId);
  if (!info) throw new StepFailure('Dns.ZoneGone', `private zone ${zoneId} disappeared`);
  const after = bindingsFound(info.BindVpcs.Vpc);
  const lost = lostBindings(kept, after);
  if (lost.length) {
    throw new StepFailure(
      'Dns.BindingLost',
      `BindZoneVpc on ${zoneId} did not keep ${lost.map(describe).join(', ')}; bind it again in the PrivateZone console`,
    );
  }
  return after;
}

/** Times a binding change is read back and sent again when a concurrent BindZoneVpc replaced the set in between. */
const ATTEMPTS = 4;

export type BindOutcome = 'bound' | 'already' | 'taken' | 'gone';

/**
 * Adds one VPC to a zone's bindings without losing anyone else's: BindZoneVpc replaces the whole
 * set, so each attempt reads the set, sends it with the VPC added, and reads it back; a set that
 * another writer replaced in between (the VPC missing again) is read and sent once more.
 * `taken`: the VPC is bound to another zone of the same name ("ZoneVpc.Zone.Repeated: Vpc is bind
 * to same zone name.", HTTP 400, pvtz metadata BindZoneVpc errorCodes); `gone`: the zone was
 * deleted meanwhile. Each attempt has its own ClientToken (`token(attempt, set)`), so a resend is
 * applied rather than answered from an earlier identical request.
 */
export async function bindVpc(
  pvtz: PrivateZoneApi,
  zoneId: string,
  vpc: { vpcId: string; regionId: string },
  token: (params: unknown) => string,
): Promise<BindOutcome> {
  const info = await pvtz.zoneInfo(zoneId);
  if (!info) return 'gone';
  let found = bindingsFound(info.BindVpcs.Vpc);
  if (found.some((b) => b.vpcId === vpc.vpcId)) return 'already';
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const wanted = withVpc(found, vpc);
    try {
      found = await applyBindings(pvtz, zoneId, wanted, found, token({ zoneId, wanted, attempt }));
    } catch (e) {
      if (isAliyunError(e, 'ZoneVpc.Zone.Repeated')) return 'taken';
      if (isAliyunError(e, /^Zone\.(NotExists|Invalid\.Id)$/) || (e instanceof StepFailure && e.code === 'Dns.ZoneGone')) return 'gone';
      throw e;
    }
    if (found.some((b) => b.vpcId === vpc.vpcId)) return 'bound';
  }
  throw new StepFailure(
    'Dns.BindingLost',
    `private zone ${zoneId} lost its binding to ${vpc.vpcId} ${ATTEMPTS} times: something keeps rewriting its VPCs`,
  );
}

/**
 * Removes one VPC from a zone's bindings, keeping every other as found (read back; a concurrent
 * writer that put the VPC back is answered by reading and sending again). Answers the bindings left.
 */
export async function unbindVpc(
  pvtz: PrivateZoneApi,
  zoneId: string,
  vpcId: string,
  token: (params: unknown) => string,
): Promise<ZoneBinding[] | undefined> {
  const info = await pvtz.zoneInfo(zoneId);
  if (!info) return undefined;
  let found = bindingsFound(info.BindVpcs.Vpc);
  for (let attempt = 1; attempt <= ATTEMPTS && found.some((b) => b.vpcId === vpcId); attempt++) {
    const others = withoutVpc(found, vpcId);
    found = await applyBindings(pvtz, zoneId, others, others, token({ zoneId, others, attempt }));
  }
  if (found.some((b) => b.vpcId === vpcId))
    throw new StepFailure(
      'Dns.BindingLost',
      `private zone ${zoneId} was bound to ${vpcId} again ${ATTEMPTS} times: something keeps rewriting its VPCs`,
    );
  return found;
}
