import { isAliyunError } from '../aliyun/errors.ts';
import { lingerUntilReady, waitStep } from './polling.ts';
import { clustersOnly, noteSkipped } from './teardown-skips.ts';
import { noteChange, StepFailure, type LinkState, type Step, type StepDeps, type StepResult } from './types.ts';

const WAIT = 'security-group-gone';

/**
 * Deletes the security groups zpl created for the link — all of them: a late create can have left
 * two (security-group-sweep.ts) — while a given one is left as found; a wait step.
 * Right after the endpoint is gone its network interfaces may still be in the group, and ECS
 * answers `DependencyViolation` (HTTP 403, "There is still instance(s) in the specified security
 * group.", metadata) until they are released; the Terraform provider retries that for up to 10
 * minutes. So: ask again every few seconds within this invocation, then let the flow poll, up to
 * the endpoint deadline.
 */
export const deleteSecurityGroup: Step = async ({ spec, state }, deps) => {
  const plan = state.teardown;
  if (!plan) throw new StepFailure('State.Incomplete', 'no teardown plan: the TeardownPlan step did not run');
  const skip = clustersOnly(plan, 'security group');
  if (skip) return done(noteSkipped(state, 'DeleteSecurityGroup', 'security group', skip), deps);
  if (!plan.securityGroupId) return done(state, deps);
  const id = plan.securityGroupId;
  if (!plan.securityGroupOurs)
    return done(
      noteChange(state, { step: 'DeleteSecurityGroup', action: 'kept', resource: 'security group', id, note: 'not created by zpl' }),
      deps,
    );
  // Plans made before every group was listed name only the one.
  const ids = plan.securityGroupIds ?? [id];
  // Each group once: those an earlier poll (or an earlier try of this one) already deleted are done.
  const settled = new Map(
    state.changes.filter((c) => c.step === 'DeleteSecurityGroup' && c.id && ids.includes(c.id)).map((c) => [c.id!, c.action] as const),
  );
  const { ready, since } = await lingerUntilReady(deps.clock, state, WAIT, async () => {
    for (const g of ids.filter((x) => !settled.has(x))) {
      const outcome = await tryDelete(deps, g);
      if (outcome !== 'in use') settled.set(g, outcome);
    }
    return { ready: ids.every((g) => settled.has(g)) };
  });
  const next = ids.reduce((s, g) => {
    const outcome = settled.get(g);
    return outcome === 'deleted' || outcome === 'gone'
      ? noteChange(s, { step: 'DeleteSecurityGroup', action: outcome, resource: 'security group', id: g })
      : s;
  }, state);
  const inUse = ids.filter((g) => !settled.has(g));
  const seconds = spec.deadlines.endpointActiveSeconds;
  const polled = waitStep(
    next,
    WAIT,
    seconds,
    deps.clock.now(),
    ready,
    `security group ${inUse.join(', ') || id} to be free of the endpoint's network interfaces (DependencyViolation)`,
    since,
  );
  if (polled.expired)
    throw new StepFailure(
      'Wait.SecurityGroupInUse',
      `security group ${inUse.join(', ')} was still in use (DependencyViolation) ${seconds}s after the endpoint was deleted: something else may have been put in it`,
    );
  return { state: polled.state, wait: polled.wait };
};

/** Nothing (more) to delete: ready at once. */
const done = (state: LinkState, deps: StepDeps): StepResult => {
  const polled = waitStep(state, WAIT, 1, deps.clock.now(), true, 'nothing');
  return { state: polled.state, wait: polled.wait };
};

async function tryDelete(deps: StepDeps, id: string): Promise<'deleted' | 'gone' | 'in use'> {
  try {
    await deps.aliyun.securityGroups.delete(id);
    return 'deleted';
  } catch (e) {
    // Gone already (a lost reply's retry, or deleted by hand) counts as done.
    if (isAliyunError(e, /^InvalidSecurityGroup(Id)?\.NotFound$/)) return 'gone';
    if (isAliyunError(e, 'DependencyViolation')) return 'in use';
    throw e;
  }
}
