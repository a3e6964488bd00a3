import { zillizRegion } from '../derived.ts';
import type { LinkSpec } from '../spec.ts';
import { visibleService, zillizEndpointService } from '../steps/check-service.ts';
import { findEndpoint } from '../steps/ensure-endpoint.ts';
import type { StepDeps } from '../steps/types.ts';

/** Once per doctor run: a read several checks need is made once (and fails once). */
function once<T>(read: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => (promise ??= read());
}

/** The reads the checks share, each made on first use. */
export function doctorReads(spec: LinkSpec, deps: StepDeps) {
  const zillizService = once(() => zillizEndpointService(deps, zillizRegion(spec)));
  const service = once(async () => {
    const name = await zillizService();
    return name ? visibleService(deps, name) : undefined;
  });
  return {
    zillizService,
    /** Zilliz's endpoint service as this account sees it, once allowlisted (ListVpcEndpointServicesByEndUser). */
    service,
    vSwitches: once(() => deps.aliyun.vpc.vSwitches(spec.vpcId)),
    /** The link's endpoint, one of the VPC's to the service, or none yet (as EnsureEndpoint decides). */
    endpoint: once(async () => findEndpoint(spec, (await service())?.ServiceName, deps)),
  };
}

export type DoctorReads = ReturnType<typeof doctorReads>;
