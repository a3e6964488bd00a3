import { isAliyunError } from '../aliyun/errors.ts';
import type { LinkSpec } from '../spec.ts';
import { serviceFilter } from '../zilliz/endpoint-service.ts';
import { zoneVSwitch } from '../steps/zone-vswitch.ts';
import type { StepDeps } from '../steps/types.ts';
import { grantFix, isRamDenial, ramActionOf } from './denial.ts';
import type { DoctorReads } from './reads.ts';
import { fail, pass, type DoctorCheck } from './report.ts';

/** The run's writes that offer no dry run (ECS CreateSecurityGroup and the rest have no `DryRun`; the metadata): said, not checked. */
const UNCHECKED =
  'the run writes more (security group and rules, tags, endpoint zones, PrivateZone zone, records and binding) with calls that offer no dry run: grant them as dist/ram/zpl-steps.json does';

/**
 * CreateVpcEndpoint, the run's one write that offers a dry run (privatelink_2020-04-15.json
 * CreateVpcEndpoint `DryRun`): sent as the run would send it, with `DryRun`, so nothing is created.
 * `DryRunOperation` means every check passed; a RAM denial means the identity may not create
 * endpoints; any other code is PrivateLink's own check after RAM let the call through (before the
 * security group exists the dry run stops at it). Reads need no dry run: every other check reads
 * what the run reads, and a denial there names its action.
 */
export async function permissionsCheck(spec: LinkSpec, deps: StepDeps, reads: DoctorReads): Promise<DoctorCheck> {
  const id = 'permissions.create-endpoint';
  const endpoint = await reads.endpoint();
  if (endpoint.kind !== 'create') return pass(id, `endpoint ${endpoint.id} exists (the run creates none); ${UNCHECKED}`);
  const [visible, zillizName, vSwitches] = await Promise.all([reads.service(), reads.zillizService(), reads.vSwitches()]);
  const service = visible ? { serviceId: visible.ServiceId } : zillizName ? serviceFilter(zillizName) : undefined;
  if (!service) return pass(id, `not tried: Zilliz offers no endpoint service here (see endpoint-service); ${UNCHECKED}`);
  const zones = spec.zones.flatMap((zone) => {
    const placed = zoneVSwitch(zone, vSwitches, spec.vpcId);
    return 'vSwitch' in placed ? [{ zoneId: zone.zoneId, vSwitchId: placed.vSwitch.VSwitchId }] : [];
  });
  try {
    await deps.aliyun.privateLink.createEndpointDryRun({
      vpcId: spec.vpcId,
      service,
      securityGroupIds: spec.securityGroupId ? [spec.securityGroupId] : [],
      zones,
    });
    return pass(id, `privatelink:CreateVpcEndpoint allowed (dry run: DryRunOperation); ${UNCHECKED}`);
  } catch (e) {
    if (isRamDenial(e)) return fail(id, `denied: this identity may not call ${ramActionOf(e)} (${e.code})`, grantFix(ramActionOf(e)));
    if (!isAliyunError(e) || e.retryable) throw e;
    return pass(
      id,
      `privatelink:CreateVpcEndpoint allowed by RAM (the dry run went on to PrivateLink's own checks, which answered ${e.code}); ${UNCHECKED}`,
    );
  }
}
