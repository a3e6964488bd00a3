import { parseEvent, type FcContext } from '../../shared/fc-context.ts';
import { DRIFT_FLOW } from '../../shared/flow-names.ts';
import { roleList } from '../../shared/drift/roles.ts';
import { cloudFlowFromContext } from '../../shared/http/config.ts';

/**
 * Timer trigger → one execution of the drift flow. The payload (set in s.yaml) may say
 * `{"regions": [...], "remediate": true, "pageSize": 1000, "roles": "<arn>[,<externalId>],…"}`
 * (roles: s.yaml's vars.driftRoles, the other accounts to check; shared/drift/roles.ts); the
 * execution name is the minute, so a timer that fires twice starts one check.
 */
export const handler = async (event: Buffer, context: FcContext) => {
  const timer = parseEvent(event) as { triggerTime?: string; payload?: string };
  let payload: { regions?: string[]; remediate?: boolean; pageSize?: number; roles?: unknown };
  try {
    payload = timer.payload ? JSON.parse(timer.payload) : {};
  } catch {
    payload = {};
  }
  // The flow's Discover refuses a malformed role, or one the deployment may not take on.
  const roles = typeof payload.roles === 'string' ? roleList(payload.roles) : Array.isArray(payload.roles) ? payload.roles : [];
  const at = new Date(timer.triggerTime ?? Date.now());
  const name = `drift-${at.toISOString().slice(0, 16).replace(/[-:T]/g, '')}`;
  const input = {
    regions: Array.isArray(payload.regions) ? payload.regions.filter((r) => typeof r === 'string') : [context.region],
    remediate: payload.remediate === true,
    // Links per page of the check (shared/drift/paging.ts); the flow's Discover refuses one out of range.
    ...(Number.isInteger(payload.pageSize) ? { pageSize: payload.pageSize } : {}),
    ...(roles.length ? { roles } : {}),
  };
  const started = await cloudFlowFromContext(context).start(DRIFT_FLOW, name, input);
  return { execution: started.Name, status: started.Status };
};
