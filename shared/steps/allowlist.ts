import { zillizRegion } from '../derived.ts';
import { noteChange, type Step } from './types.ts';

/** Asks Zilliz to allowlist the Alibaba main account for the project's region (add-only; repeats succeed). */
export const allowlist: Step = async ({ spec, state }, deps) => {
  await deps.zilliz.allowlistAccount(spec.projectId, zillizRegion(spec), spec.accountId);
  return { state: noteChange(state, { step: 'Allowlist', action: 'allowlisted', resource: 'account', id: spec.accountId, note: `with Zilliz for ${spec.projectId}` }) };
};
