import { zillizRegion } from '../derived.ts';
import { visibleService } from './check-service.ts';
import { noteChange, type Step } from './types.ts';

/**
 * Asks Zilliz to allowlist the Alibaba main account for the project's region, unless Zilliz's
 * endpoint service is already visible to the account (then the allowlisting has taken effect).
 * Zilliz's whitelist is add-only and how it answers a repeat is undocumented (the China site may
 * word it otherwise than "already"), so a call that is not needed is not made.
 */
export const allowlist: Step = async ({ spec, state }, deps) => {
  if (state.serviceName && (await visibleService(deps, state.serviceName))) {
    return {
      state: noteChange(state, {
        step: 'Allowlist',
        action: 'unchanged',
        resource: 'account',
        id: spec.accountId,
        note: "Zilliz's endpoint service is already visible to it",
      }),
    };
  }
  await deps.zilliz.allowlistAccount(spec.projectId, zillizRegion(spec), spec.accountId);
  return {
    state: noteChange(state, {
      step: 'Allowlist',
      action: 'allowlisted',
      resource: 'account',
      id: spec.accountId,
      note: `with Zilliz for ${spec.projectId}`,
    }),
  };
};
