import type { LinkSpec } from '../spec.ts';
import { privateLinkActivation, privateZoneActivation } from '../steps/prerequisites.ts';
import type { StepDeps } from '../steps/types.ts';
import { fail, pass, warn, type DoctorCheck } from './report.ts';

/** PrivateLink activated (CheckProductOpen), as Validate reads it. */
export async function privateLinkCheck(spec: LinkSpec, deps: StepDeps): Promise<DoctorCheck> {
  const { missing } = await privateLinkActivation(deps, spec.region);
  return missing ? fail('privatelink.activated', missing.problem, missing.fix) : pass('privatelink.activated', 'PrivateLink is activated');
}

/** PrivateZone opened (DescribeUserServiceStatus), as Validate reads it. */
export async function privateZoneCheck(deps: StepDeps): Promise<DoctorCheck> {
  const id = 'privatezone.opened';
  const read = await privateZoneActivation(deps);
  if (read.warning) return warn(id, read.warning);
  return read.missing ? fail(id, read.missing.problem, read.missing.fix) : pass(id, `PrivateZone is ${read.status}`);
}
