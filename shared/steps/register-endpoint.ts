import { zillizRegion } from '../derived.ts';
import { noteChange, StepFailure, type Step } from './types.ts';

/** Registers the endpoint with the Zilliz project (the "pending" link), unless it already is. */
export const registerEndpoint: Step = async ({ spec, state }, deps) => {
  const id = state.endpointId;
  if (!id) throw new StepFailure('State.Incomplete', 'no endpoint: the EnsureEndpoint step did not run');
  const registered = (await deps.zilliz.listEndpoints(spec.projectId)).some((e) => e.endpointId === id);
  if (registered)
    return { state: noteChange(state, { step: 'RegisterEndpoint', action: 'unchanged', resource: 'Zilliz registration of', id }) };
  await deps.zilliz.registerEndpoint(spec.projectId, zillizRegion(spec), id);
  return {
    state: noteChange(state, {
      step: 'RegisterEndpoint',
      action: 'registered',
      resource: 'endpoint',
      id,
      note: `with Zilliz project ${spec.projectId}`,
    }),
  };
};
