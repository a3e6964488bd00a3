import { linkId } from '../derived.ts';
import type { LinkSpec } from '../spec.ts';
import type { StepDeps } from '../steps/types.ts';
import { pool, READS_AT_ONCE } from '../pool.ts';
import { accountCheck } from './account.ts';
import { privateLinkCheck, privateZoneCheck } from './activation.ts';
import { refusedCheck } from './denial.ts';
import { endpointServiceCheck } from './endpoint-service.ts';
import { permissionsCheck } from './permissions.ts';
import { endpointsPerVpcCheck, privateZonesCheck, zonesPerEndpointCheck } from './quotas.ts';
import { doctorReads } from './reads.ts';
import { doctorReport, type DoctorCheck, type DoctorReport } from './report.ts';
import { serviceRoleCheck } from './service-role.ts';
import { vSwitchIpsCheck } from './vswitch-ips.ts';
import { zillizClustersCheck, zillizProjectCheck } from './zilliz-scope.ts';

/**
 * `zpl doctor`: read-only checks of an account (and a Zilliz key) for a spec, each line with its
 * fix. Nothing is written: every call is a read or a dry run. A check whose read a vendor refuses
 * fails naming the refusal (a RAM denial names the action to grant); the others go on.
 */
export async function runDoctor(spec: LinkSpec, deps: StepDeps): Promise<DoctorReport> {
  const reads = doctorReads(spec, deps);
  const checks: [string, () => Promise<DoctorCheck> | DoctorCheck][] = [
    ['account', () => accountCheck(spec, deps)],
    ['privatelink.activated', () => privateLinkCheck(spec, deps)],
    ['privatezone.opened', () => privateZoneCheck(deps)],
    ['privatelink.service-role', () => serviceRoleCheck(deps)],
    ['endpoint-service', () => endpointServiceCheck(spec, reads)],
    ['permissions.create-endpoint', () => permissionsCheck(spec, deps, reads)],
    ['quota.endpoints-per-vpc', () => endpointsPerVpcCheck(spec, deps, reads)],
    ['quota.zones-per-endpoint', () => zonesPerEndpointCheck(spec)],
    ['quota.private-zones', () => privateZonesCheck(spec, deps)],
    ['vswitch.free-ips', () => vSwitchIpsCheck(spec, reads)],
    ['zilliz.project', () => zillizProjectCheck(spec, deps)],
    ['zilliz.clusters', () => zillizClustersCheck(spec, deps)],
  ];
  // Like every fan-out of calls, at most READS_AT_ONCE checks in flight (pool.ts).
  const results = await pool(checks, READS_AT_ONCE, async ([id, check]) => {
    try {
      return await check();
    } catch (e) {
      return refusedCheck(id, e);
    }
  });
  return doctorReport(linkId(spec), results);
}
