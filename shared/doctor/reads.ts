import { zillizRegion } from '../derived.ts';
import { onFirstUse } from '../first-use.ts';
import type { LinkSpec } from '../spec.ts';
import { visibleService, zillizEndpointService } from '../steps/check-service.ts';
import { findEndpoint } from '../steps/ensure-endpoint.ts';
import type { StepDeps } from '../steps/types.ts';

/** The reads the checks share, each made on first use and once per doctor run (its promise is kept: it fails once too). */
export function doctorReads(spec: LinkSpec, deps: StepDeps) {
  const zillizService = onFirstUse(() => zillizEndpointService(deps, zillizRegion(spec)));
  const service = onFirstUse(async () => {
    const name = await zillizService();
    return name ? visibleService(deps, name) : undefined;
  });
  return {
    zillizService,
    /** Zilliz's endpoint service as this account sees it, once allowlisted (ListVpcEndpointServicesByEndUser). */
    service,
    vSwitches: onFirstUse(() => deps.aliyun.vpc.vSwitches(spec.vpcId)),
    /** The link's endpoint, one of the VPC's to the service, or none yet (as EnsureEndpoint decides). */
    endpoint: onFirstUse(async () => findEndpoint(spec, (await service())?.ServiceName, deps)),
  };
}

export type DoctorReads = ReturnType<typeof doctorReads>;
