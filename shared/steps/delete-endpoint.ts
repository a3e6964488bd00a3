import { isAliyunError } from '../aliyun/errors.ts';
import { waitStep } from './polling.ts';
import { noteChange, StepFailure, tokensFor, type Step } from './types.ts';

// The endpoint refuses changes while it is busy (cloud-facts §6): wait and ask again.
const BUSY = /^(EndpointLocked|EndpointOperationDenied|EndpointConnectionOperationDenied|IncorrectStatus\.VpcEndpoint)/;

/** Deletes our endpoint and waits until it is gone (a wait step: ready once Get says EndpointNotFound). */
export const deleteEndpoint: Step = async (input, deps) => {
  const { spec, state } = input;
  const plan = state.teardown;
  if (!plan) throw new StepFailure('State.Incomplete', 'no teardown plan: the TeardownPlan step did not run');
  const now = deps.clock.now();
  if (plan.scope !== 'link' || !plan.endpointId || !plan.endpointOurs) return { state, wait: waitStep(state, 'endpoint-gone', 1, now, true, 'nothing').wait };
  const id = plan.endpointId;
  const ep = await deps.aliyun.privateLink.getEndpoint(id);
  let next = state;
  if (ep && ep.EndpointStatus !== 'Deleting') {
    try {
      await deps.aliyun.privateLink.deleteEndpoint(id, tokensFor(input)('del-endpoint', { id }));
      next = noteChange(next, { step: 'DeleteEndpoint', action: 'deleted', resource: 'endpoint', id });
    } catch (e) {
      // Busy: ask again on the next poll; gone already (a lost reply's retry): done.
      if (!isAliyunError(e, BUSY) && !isAliyunError(e, 'EndpointNotFound')) throw e;
    }
  }
  const gone = !ep;
  if (gone && !next.changes.some((c) => c.step === 'DeleteEndpoint' && c.id === id)) next = noteChange(next, { step: 'DeleteEndpoint', action: 'gone', resource: 'endpoint', id });
  const polled = waitStep(next, 'endpoint-gone', spec.deadlines.endpointActiveSeconds, now, gone, `endpoint ${id} to be deleted (now ${ep?.EndpointStatus ?? 'gone'})`);
  if (polled.expired) throw new StepFailure('Wait.EndpointNotDeleted', `endpoint ${id} was still ${ep?.EndpointStatus} after ${spec.deadlines.endpointActiveSeconds}s`);
  return { state: polled.state, wait: polled.wait };
};
