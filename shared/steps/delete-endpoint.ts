import { isAliyunError } from '../aliyun/errors.ts';
import { waitStep } from './polling.ts';
import { clustersOnly, noteSkipped } from './teardown-skips.ts';
import { noteChange, StepFailure, tokensFor, type LinkState, type Step, type StepDeps, type Tokens } from './types.ts';

/**
 * The endpoint refuses changes while it is busy (cloud-facts §6, the Terraform provider's retry
 * lists): wait and ask again on the next poll. `ConcurrentCallNotSupported` is what PrivateLink
 * answers while a zone operation on the endpoint runs; the transport retries it briefly first.
 */
const BUSY =
  /^(EndpointLocked|EndpointOperationDenied|EndpointConnectionOperationDenied|ConcurrentCallNotSupported|IncorrectStatus\.VpcEndpoint)/;

/**
 * Deletes our endpoint and waits until it is gone, a wait step polled by the flow. The metadata
 * orders it: "删除终端节点之前，请先删除终端节点中已添加的可用区" (else `EndpointDependenceViolation`),
 * and zones go one at a time ("不支持给同一个终端节点实例并发删除可用区"). So each poll does at most one
 * thing: remove the next zone, or wait while one is Deleting, or, once none remain, delete the
 * endpoint; it is ready when GetVpcEndpointAttribute says EndpointNotFound.
 */
export const deleteEndpoint: Step = async (input, deps) => {
  const { spec, state } = input;
  const plan = state.teardown;
  if (!plan) throw new StepFailure('State.Incomplete', 'no teardown plan: the TeardownPlan step did not run');
  const now = deps.clock.now();
  const skip = clustersOnly(plan, 'endpoint');
  const nothing = () => waitStep(state, 'endpoint-gone', 1, now, true, 'nothing').wait;
  if (skip) return { state: noteSkipped(state, 'DeleteEndpoint', 'endpoint', skip), wait: nothing() };
  if (!plan.endpointId || !plan.endpointOurs) return { state, wait: nothing() };
  const id = plan.endpointId;
  const token = tokensFor(input);
  const ep = await deps.aliyun.privateLink.getEndpoint(id);
  let next = state;
  let status = ep ? `now ${ep.EndpointStatus}` : 'gone';
  if (ep && ep.EndpointStatus !== 'Deleting') {
    const zones = await deps.aliyun.privateLink.endpointZones(id);
    const step = zones.length > 0 ? await removeNextZone(deps, token, next, id, zones) : await deleteWhenEmpty(deps, token, next, id);
    next = step.state;
    status = step.status;
  }
  const gone = !ep;
  if (gone && !next.changes.some((c) => c.step === 'DeleteEndpoint' && c.resource === 'endpoint' && c.id === id))
    next = noteChange(next, { step: 'DeleteEndpoint', action: 'gone', resource: 'endpoint', id });
  const polled = waitStep(
    next,
    'endpoint-gone',
    spec.deadlines.endpointActiveSeconds,
    now,
    gone,
    `endpoint ${id} to be deleted (${status})`,
  );
  if (polled.expired)
    throw new StepFailure(
      'Wait.EndpointNotDeleted',
      `endpoint ${id} was still ${ep?.EndpointStatus} after ${spec.deadlines.endpointActiveSeconds}s`,
    );
  return { state: polled.state, wait: polled.wait };
};

type Outcome = { state: LinkState; status: string };

/** One zone removal per poll; none while another is still Deleting (no concurrent zone removals). */
async function removeNextZone(
  deps: StepDeps,
  token: Tokens,
  state: LinkState,
  id: string,
  zones: { ZoneId: string; ZoneStatus: string }[],
): Promise<Outcome> {
  const left = `its zones removed first: ${zones.map((z) => `${z.ZoneId} ${z.ZoneStatus}`).join(', ')}`;
  if (zones.some((z) => z.ZoneStatus === 'Deleting')) return { state, status: left };
  const zone = zones[0]!;
  try {
    await deps.aliyun.privateLink.removeZone(id, zone.ZoneId, token(`del-zone-${zone.ZoneId}`, { id }));
  } catch (e) {
    // Busy: the next poll asks again. Already gone (a lost reply's retry): the next poll lists what is left.
    if (isAliyunError(e, BUSY) || isAliyunError(e, 'EndpointZoneNotFound')) return { state, status: left };
    throw e;
  }
  return {
    state: noteChange(state, {
      step: 'DeleteEndpoint',
      action: 'updated',
      resource: 'endpoint zone',
      id: `${id}:${zone.ZoneId}`,
      note: 'removed before deleting the endpoint',
    }),
    status: left,
  };
}

/** The endpoint without zones: delete it (busy, or zones still listed by PrivateLink: the next poll asks again). */
async function deleteWhenEmpty(deps: StepDeps, token: Tokens, state: LinkState, id: string): Promise<Outcome> {
  try {
    await deps.aliyun.privateLink.deleteEndpoint(id, token('del-endpoint', { id }));
  } catch (e) {
    // EndpointDependenceViolation after an empty zone list: the list lagged behind a removal.
    if (isAliyunError(e, BUSY) || isAliyunError(e, 'EndpointDependenceViolation'))
      return { state, status: `its deletion refused for now (${(e as { code: string }).code})` };
    if (isAliyunError(e, 'EndpointNotFound')) return { state, status: 'gone' };
    throw e;
  }
  return { state: noteChange(state, { step: 'DeleteEndpoint', action: 'deleted', resource: 'endpoint', id }), status: 'now Deleting' };
}
