import { dnsRecordName } from '../derived.ts';
import { ACCOUNT_QUOTAS, LINK_LIMITS } from '../limits.ts';
import type { LinkSpec } from '../spec.ts';
import type { StepDeps } from '../steps/types.ts';
import type { DoctorReads } from './reads.ts';
import { fail, pass, type DoctorCheck } from './report.ts';

const QUOTA_CENTER = 'https://quotas.console.aliyun.com';

/** Endpoints in the VPC, when the run would add one (PrivateLink's `pvl_quota_total_ep_per_vpc`). */
export async function endpointsPerVpcCheck(spec: LinkSpec, deps: StepDeps, reads: DoctorReads): Promise<DoctorCheck> {
  const id = 'quota.endpoints-per-vpc';
  const endpoint = await reads.endpoint();
  // One endpoint per VPC and service (EndpointDuplicated): an existing one is reused, never doubled.
  if (endpoint.kind !== 'create') return pass(id, `the run reuses endpoint ${endpoint.id}; no endpoint is added`);
  const held = (await deps.aliyun.privateLink.listEndpoints({ vpcId: spec.vpcId })).length;
  const quota = ACCOUNT_QUOTAS.endpointsPerVpc;
  if (held >= quota)
    return fail(
      id,
      `VPC ${spec.vpcId} holds ${held} endpoints, PrivateLink's default quota (pvl_quota_total_ep_per_vpc) is ${quota}: CreateVpcEndpoint would answer QuotaExceeded.totalEpPerVpc`,
      `delete endpoints the VPC no longer needs, or raise pvl_quota_total_ep_per_vpc in Quota Center (${QUOTA_CENTER})`,
    );
  return pass(id, `VPC ${spec.vpcId} holds ${held} endpoints; the run adds 1 (default quota ${quota})`);
}

/** Zones per endpoint: the spec is held to CreateVpcEndpoint's limit where it comes in (limits.ts); said here with the count. */
export function zonesPerEndpointCheck(spec: LinkSpec): DoctorCheck {
  return pass('quota.zones-per-endpoint', `${spec.zones.length} zones, at most ${LINK_LIMITS.zones} an endpoint`);
}

/** Private zones in the account, when the run would add one (a zone name not yet bound to the VPC). */
export async function privateZonesCheck(spec: LinkSpec, deps: StepDeps): Promise<DoctorCheck> {
  const id = 'quota.private-zones';
  const wanted = new Set(spec.clusters.map((c) => dnsRecordName(spec, c).zoneName));
  const [bound, held] = await Promise.all([
    deps.aliyun.privateZone.zonesBoundTo(spec.vpcId, spec.region),
    deps.aliyun.privateZone.zoneCount(),
  ]);
  for (const z of bound) wanted.delete(z.ZoneName);
  const quota = ACCOUNT_QUOTAS.privateZones;
  if (wanted.size === 0) return pass(id, `the VPC's zones serve every name; no zone is added (the account holds ${held} of ${quota})`);
  if (held + wanted.size > quota)
    return fail(
      id,
      `the account holds ${held} private zones and the run adds ${wanted.size}: over the ${quota} zones PrivateZone allows an account`,
      `delete private zones no longer used (PrivateZone console, https://dns.console.aliyun.com/#/privateZone/list) or ask for a higher limit`,
    );
  return pass(id, `the account holds ${held} private zones; the run adds ${wanted.size} (at most ${quota})`);
}
