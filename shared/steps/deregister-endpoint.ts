import { zillizRegion } from '../derived.ts';
import { clustersOnly, noteSkipped } from './teardown-skips.ts';
import { noteChange, StepFailure, type Step } from './types.ts';

/** Removes the endpoint's registration from the Zilliz project (gone already is done). */
export const deregisterEndpoint: Step = async ({ spec, state }, deps) => {
  const plan = state.teardown;
  if (!plan) throw new StepFailure('State.Incomplete', 'no teardown plan: the TeardownPlan step did not run');
  const skip = clustersOnly(plan, "endpoint's registration");
  if (skip) return { state: noteSkipped(state, 'DeregisterEndpoint', 'Zilliz registration', skip) };
  if (!plan.endpointId || !plan.endpointOurs) return { state };
  const registered = (await deps.zilliz.listEndpoints(spec.projectId)).some((e) => e.endpointId === plan.endpointId);
  if (!registered)
    return {
      state: noteChange(state, { step: 'DeregisterEndpoint', action: 'gone', resource: 'Zilliz registration of', id: plan.endpointId }),
    };
  try {
    await deps.zilliz.deleteEndpoint(spec.projectId, zillizRegion(spec), plan.endpointId);
  } catch (e) {
    // The first reply was lost and the retry finds it gone: check rather than trust the error.
    if ((await deps.zilliz.listEndpoints(spec.projectId)).some((x) => x.endpointId === plan.endpointId)) throw e;
  }
  return {
    state: noteChange(state, {
      step: 'DeregisterEndpoint',
      action: 'deregistered',
      resource: 'endpoint',
      id: plan.endpointId,
      note: `from Zilliz project ${spec.projectId}`,
    }),
  };
};
