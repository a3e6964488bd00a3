import { zillizRegion } from '../derived.ts';
import { isTheService, serviceFilter } from '../zilliz/endpoint-service.ts';
import { isZillizError, ZILLIZ_CODES } from '../zilliz/errors.ts';
import { lingerUntilReady, waitStep } from './polling.ts';
import { StepFailure, type Step, type StepDeps } from './types.ts';

/** Zilliz's name for its endpoint service in a Zilliz region, or undefined where Zilliz offers none. */
export async function zillizEndpointService(deps: StepDeps, zillizRegion: string): Promise<string | undefined> {
  const services = await deps.zilliz.endpointServices(zillizRegion).catch((e: unknown) => {
    // 96001 "Invalid RegionId": Zilliz does not serve this region (ListCloudRegions lists those it does).
    if (isZillizError(e, ZILLIZ_CODES.invalidRegion)) return [];
    throw e;
  });
  return services.find((s) => s.regionId === zillizRegion)?.endpointService;
}

/** Zilliz's endpoint service as this account sees it (ListVpcEndpointServicesByEndUser), by ServiceName or ServiceId. */
export async function visibleService(deps: StepDeps, endpointService: string) {
  const found = await deps.aliyun.privateLink.servicesVisibleToMe(serviceFilter(endpointService));
  return found.find((s) => isTheService(s, endpointService));
}

/**
 * Zones the spec asks for that the endpoint service does not serve. The service's own `Zones`
 * are the authority (ListVpcEndpointServicesByEndUser); Zilliz's published list only warns.
 */
export const unservedZones = (zoneIds: string[], served: string[]) => zoneIds.filter((z) => !served.includes(z));

/** Waits until Zilliz's endpoint service is visible to the account, then checks it serves our zones. */
export const checkService: Step = async ({ spec, state }, deps) => {
  const serviceName = state.serviceName;
  if (!serviceName) throw new StepFailure('State.Incomplete', 'the endpoint service is unknown: the Validate step did not run');
  const { service, since } = await lingerUntilReady(deps.clock, state, 'service', async () => {
    const found = await visibleService(deps, serviceName);
    return { ready: Boolean(found), service: found };
  });
  const now = deps.clock.now();
  const polled = waitStep(
    state,
    'service',
    spec.deadlines.serviceVisibleSeconds,
    now,
    Boolean(service),
    `Zilliz's endpoint service to become visible to account ${spec.accountId}`,
    since,
  );
  if (polled.expired) {
    throw new StepFailure(
      'Wait.ServiceNotVisible',
      `Zilliz's endpoint service ${serviceName} did not become visible to account ${spec.accountId} within ${spec.deadlines.serviceVisibleSeconds}s; check that the account is allowlisted for project ${spec.projectId} in ${zillizRegion(spec)}`,
    );
  }
  if (!service) return { state: polled.state, wait: polled.wait };
  const missing = unservedZones(
    spec.zones.map((z) => z.zoneId),
    service.Zones,
  );
  if (missing.length > 0)
    throw new StepFailure(
      'Service.ZoneNotSupported',
      `Zilliz's endpoint service does not serve ${missing.join(', ')} (it serves ${service.Zones.join(', ')})`,
    );
  // Zilliz may have named the service by its ID: keep Alibaba's ServiceName, which later lookups filter by.
  return { state: { ...polled.state, serviceName: service.ServiceName, serviceId: service.ServiceId }, wait: polled.wait };
};
