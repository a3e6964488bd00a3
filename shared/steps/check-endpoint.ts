import { lingerUntilReady, waitStep } from './polling.ts';
import { StepFailure, type Step } from './types.ts';

/** Waits until the endpoint is Active and records its domain and per-zone addresses. */
export const checkEndpoint: Step = async ({ spec, state }, deps) => {
  const id = state.endpointId;
  if (!id) throw new StepFailure('State.Incomplete', 'no endpoint: the EnsureEndpoint step did not run');
  const { ep, ready, since } = await lingerUntilReady(deps.clock, state, 'endpoint', async () => {
    const found = await deps.aliyun.privateLink.getEndpoint(id);
    if (!found) throw new StepFailure('Endpoint.Gone', `endpoint ${id} does not exist (deleted while the link was being provisioned?)`);
    return { ep: found, ready: found.EndpointStatus === 'Active' };
  });
  const polled = waitStep(
    state,
    'endpoint',
    spec.deadlines.endpointActiveSeconds,
    deps.clock.now(),
    ready,
    `endpoint ${id} to become Active (now ${ep.EndpointStatus})`,
    since,
  );
  if (polled.expired)
    throw new StepFailure(
      'Wait.EndpointNotActive',
      `endpoint ${id} was still ${ep.EndpointStatus} after ${spec.deadlines.endpointActiveSeconds}s`,
    );
  if (!ready) return { state: polled.state, wait: polled.wait };
  const zones = await deps.aliyun.privateLink.endpointZones(id);
  return {
    state: {
      ...polled.state,
      endpointDomain: ep.EndpointDomain,
      // A zone being removed (the spec dropped it) serves no one for long: Verify does not dial it.
      zoneIps: zones.filter((z) => z.ZoneStatus !== 'Deleting').map((z) => ({ zoneId: z.ZoneId, ip: z.EniIp, domain: z.ZoneDomain })),
    },
    wait: polled.wait,
  };
};
