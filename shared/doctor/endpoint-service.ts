import { zillizRegion } from '../derived.ts';
import type { LinkSpec } from '../spec.ts';
import { unservedZones } from '../steps/check-service.ts';
import type { DoctorReads } from './reads.ts';
import { fail, pass, type DoctorCheck } from './report.ts';

/**
 * Zilliz's endpoint service: visible to the account and serving the spec's zones, or still to be
 * allowlisted — the run's own first steps do that (Allowlist, then CheckService waits), so a
 * service not yet visible passes, saying so.
 */
export async function endpointServiceCheck(spec: LinkSpec, reads: DoctorReads): Promise<DoctorCheck> {
  const id = 'endpoint-service';
  const name = await reads.zillizService();
  if (!name)
    return fail(
      id,
      `Zilliz offers no private-link endpoint service in ${zillizRegion(spec)}`,
      'pick a region where Zilliz offers private links (Zilliz Cloud console, or its ListCloudRegions API)',
    );
  const service = await reads.service();
  if (!service)
    return pass(
      id,
      `${name} is not visible to account ${spec.accountId} yet: the run's Allowlist step (zpl apply) allowlists the account with Zilliz for ${spec.projectId}, then CheckService waits for it (up to ${spec.deadlines.serviceVisibleSeconds}s)`,
    );
  const missing = unservedZones(
    spec.zones.map((z) => z.zoneId),
    service.Zones,
  );
  if (missing.length)
    return fail(
      id,
      `${service.ServiceName} does not serve ${missing.join(', ')} (it serves ${service.Zones.join(', ')})`,
      'pick zones the service serves in zones[]',
    );
  return pass(
    id,
    `${service.ServiceName} is visible to account ${spec.accountId} and serves ${spec.zones.map((z) => z.zoneId).join(', ')}`,
  );
}
