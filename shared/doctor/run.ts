import { isAliyunError } from '../aliyun/errors.ts';
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
import { doctorReport, skip, type DoctorCheck, type DoctorReport } from './report.ts';
import { roleRefused, roleTaken } from './role.ts';
import { serviceRoleCheck } from './service-role.ts';
import { vSwitchIpsCheck } from './vswitch-ips.ts';
import { zillizClustersCheck, zillizProjectCheck } from './zilliz-scope.ts';

/** One check: its id, whether it reads Alibaba Cloud (as the spec's role, when it names one), and the check. */
type CheckEntry = [id: string, alibaba: boolean, check: () => Promise<DoctorCheck> | DoctorCheck];

/**
 * `zpl doctor`: read-only checks of an account (and a Zilliz key) for a spec, each line with its
 * fix. Nothing is written: every call is a read or a dry run. A check whose read a vendor refuses
 * fails naming the refusal (a RAM denial names the action to grant); the others go on.
 * `before` goes first (the role check); with `notRun`, the checks that read Alibaba Cloud are
 * reported as not run, saying why.
 */
export async function runDoctor(
  spec: LinkSpec,
  deps: StepDeps,
  opts: { before?: DoctorCheck; notRun?: string } = {},
): Promise<DoctorReport> {
  const reads = doctorReads(spec, deps);
  const checks: CheckEntry[] = [
    ['account', true, () => accountCheck(spec, deps)],
    ['privatelink.activated', true, () => privateLinkCheck(spec, deps)],
    ['privatezone.opened', true, () => privateZoneCheck(deps)],
    ['privatelink.service-role', true, () => serviceRoleCheck(deps, spec.region)],
    ['endpoint-service', true, () => endpointServiceCheck(spec, reads)],
    ['permissions.create-endpoint', true, () => permissionsCheck(spec, deps, reads)],
    ['quota.endpoints-per-vpc', true, () => endpointsPerVpcCheck(spec, deps, reads)],
    ['quota.zones-per-endpoint', false, () => zonesPerEndpointCheck(spec)],
    ['quota.private-zones', true, () => privateZonesCheck(spec, deps)],
    ['vswitch.free-ips', true, () => vSwitchIpsCheck(spec, reads)],
    ['zilliz.project', false, () => zillizProjectCheck(spec, deps)],
    ['zilliz.clusters', false, () => zillizClustersCheck(spec, deps)],
  ];
  // Like every fan-out of calls, at most READS_AT_ONCE checks in flight (pool.ts).
  const results = await pool(checks, READS_AT_ONCE, async ([id, alibaba, check]) => {
    if (alibaba && opts.notRun) return skip(id, opts.notRun);
    try {
      return await check();
    } catch (e) {
      return refusedCheck(id, e);
    }
  });
  return doctorReport(linkId(spec), opts.before ? [opts.before, ...results] : results);
}

/**
 * The clients the checks read with: as the spec's role (`asRole`), or with the caller's own key;
 * either way the key is taken before this resolves, so a refusal comes here.
 */
export type DoctorConnect = (asRole: boolean) => Promise<StepDeps>;

/**
 * The doctor as the run would act: a spec with `assumeRole` is checked as that role (the
 * `assume-role` check first, then every check as the role, so `account` compares the role's
 * account with the spec's). A role refused is one failing check; the checks that read Alibaba
 * Cloud are then not run, and those of the Zilliz key and the spec alone still are. The role is
 * what was refused when the caller's own key connects: only the role tells the two apart.
 */
export async function doctorAsRun(spec: LinkSpec, connect: DoctorConnect, session: string): Promise<DoctorReport> {
  const role = spec.assumeRole;
  if (!role) return runDoctor(spec, await connect(false));
  let deps: StepDeps;
  try {
    deps = await connect(true);
  } catch (e) {
    // A passing fault (throttling, 5xx, a timeout) says nothing about the role: the run's Retry, or the user, asks again.
    if (isAliyunError(e) && e.retryable) throw e;
    // The caller's own key must connect (else that, not the role, is what failed: thrown).
    return runDoctor(spec, await connect(false), {
      before: roleRefused(role, e),
      notRun: `not run: it reads as ${role.arn}, which could not be taken on (assume-role)`,
    });
  }
  return runDoctor(spec, deps, { before: roleTaken(role, session) });
}
