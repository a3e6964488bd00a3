import { endpointDescription, endpointName, endpointStateTags, linkId, ownershipTags, TAG, type Tag } from '../derived.ts';
import type { LinkSpec } from '../spec.ts';
import { isAliyunError } from '../aliyun/errors.ts';
import { prerequisiteFailure } from './prerequisites.ts';
import { LINGER_MS, MIN_POLL_SECONDS } from './polling.ts';
import { noteChange, StepFailure, tokensFor, type LinkState, type Step, type StepDeps, type Tokens } from './types.ts';

export type EndpointPlan = { kind: 'ours' | 'found'; id: string; status: string; tags: Tag[] } | { kind: 'create' };

/** Our endpoint (by tag), else one already connecting this VPC to the service (reused as found), else none. */
export async function findEndpoint(
  spec: LinkSpec,
  serviceName: string | undefined,
  deps: StepDeps,
  opts: { includeDeleting?: boolean } = {},
): Promise<EndpointPlan> {
  const ours = await deps.aliyun.privateLink.listEndpoints({ vpcId: spec.vpcId, tags: [{ Key: TAG.link, Value: linkId(spec) }] });
  const mine = ours.find((e) => opts.includeDeleting || e.EndpointStatus !== 'Deleting');
  if (mine) return { kind: 'ours', id: mine.EndpointId, status: mine.EndpointStatus, tags: mine.Tags ?? [] };
  if (serviceName) {
    const found = (await deps.aliyun.privateLink.listEndpoints({ vpcId: spec.vpcId, serviceName })).find(
      (e) => e.EndpointStatus !== 'Deleting',
    );
    if (found) return { kind: 'found', id: found.EndpointId, status: found.EndpointStatus, tags: found.Tags ?? [] };
  }
  return { kind: 'create' };
}

/** Ownership plus the desired state (project, clusters, DNS layout, a given security group) on the endpoint. */
export const desiredTags = (spec: LinkSpec, port?: number): Tag[] => [...ownershipTags(spec, { port }), ...endpointStateTags(spec)];

export const ensureEndpoint: Step = async (input, deps) => {
  const { spec, state } = input;
  const token = tokensFor(input);
  const { serviceId, serviceName, securityGroupId, zones } = state;
  if (!serviceId || !securityGroupId || !zones)
    throw new StepFailure('State.Incomplete', 'the service, security group or zones are unknown: earlier steps did not run');
  const plan = await findEndpoint(spec, serviceName, deps);
  if (plan.kind === 'create') {
    const created = await deps.aliyun.privateLink
      .createEndpoint({
        vpcId: spec.vpcId,
        serviceId,
        securityGroupIds: [securityGroupId],
        zones,
        name: endpointName(spec),
        description: endpointDescription(spec),
        tags: desiredTags(spec, state.port),
        clientToken: token('endpoint', { serviceId, securityGroupId, zones }),
      })
      .catch((e: unknown) => {
        throw prerequisiteFailure(e, spec.region) ?? e;
      });
    return {
      state: noteChange(
        { ...state, endpointId: created.EndpointId },
        { step: 'EnsureEndpoint', action: 'created', resource: 'endpoint', id: created.EndpointId },
      ),
    };
  }
  let next: LinkState = { ...state, endpointId: plan.id };
  if (plan.kind === 'found') {
    return {
      state: noteChange(next, {
        step: 'EnsureEndpoint',
        action: 'reused',
        resource: 'endpoint',
        id: plan.id,
        note: 'not created by zpl; left as found',
      }),
    };
  }
  // Ours: keep the recorded desired state current (clusters come and go), then add zones it lacks.
  const stale = desiredTags(spec, state.port).filter((t) => !plan.tags.some((h) => h.Key === t.Key && h.Value === t.Value));
  if (stale.length > 0) {
    await deps.aliyun.privateLink.tagEndpoint(plan.id, stale, token('endpoint-tags', stale));
    next = noteChange(next, {
      step: 'EnsureEndpoint',
      action: 'updated',
      resource: 'endpoint desired-state tags',
      id: plan.id,
      note: stale.map((t) => t.Key).join(', '),
    });
  }
  // Add zones the spec asks for and it lacks (only while Active; otherwise a re-run adds them).
  const have = new Set((await deps.aliyun.privateLink.endpointZones(plan.id)).map((z) => z.ZoneId));
  const missing = zones.filter((z) => !have.has(z.zoneId));
  if (missing.length > 0 && plan.status === 'Active') {
    const { added, left } = await addZonesOneByOne(deps, token, plan.id, missing);
    const note = `added ${added.join(', ') || 'none'}${left.length ? `; ${left.join(', ')} left for the next run (the endpoint was still busy)` : ''}`;
    next = noteChange(next, { step: 'EnsureEndpoint', action: 'updated', resource: 'endpoint zones', id: plan.id, note });
  } else if (stale.length === 0) {
    next = noteChange(next, { step: 'EnsureEndpoint', action: 'unchanged', resource: 'endpoint', id: plan.id });
  }
  return { state: next };
};

/** A zone being added or removed keeps the endpoint busy for other zone operations. */
const ZONE_IN_FLUX = new Set(['Creating', 'Deleting']);

/**
 * One zone at a time: "AddZoneToVpcEndpoint接口不支持给同一个终端节点实例并发添加可用区" (metadata;
 * PrivateLink answers ConcurrentCallNotSupported). Before each next zone it waits, within this
 * invocation (at most LINGER_MS), until ListVpcEndpointZones shows no zone in flux; what is not
 * added by then is left for the next run, which finds it missing again.
 */
async function addZonesOneByOne(
  deps: StepDeps,
  token: Tokens,
  endpointId: string,
  missing: { zoneId: string; vSwitchId: string }[],
): Promise<{ added: string[]; left: string[] }> {
  const started = deps.clock.now();
  const added: string[] = [];
  for (const zone of missing) {
    if (added.length > 0 && !(await zonesSettled(deps, endpointId, started))) break;
    try {
      await deps.aliyun.privateLink.addZone(endpointId, zone, token(`zone-${zone.zoneId}`, zone));
    } catch (e) {
      if (isAliyunError(e, /^(ConcurrentCallNotSupported|EndpointLocked)$/)) break;
      throw e;
    }
    added.push(zone.zoneId);
  }
  return { added, left: missing.slice(added.length).map((z) => z.zoneId) };
}

async function zonesSettled(deps: StepDeps, endpointId: string, started: number): Promise<boolean> {
  for (;;) {
    const zones = await deps.aliyun.privateLink.endpointZones(endpointId);
    if (!zones.some((z) => ZONE_IN_FLUX.has(z.ZoneStatus))) return true;
    if (deps.clock.now() - started + MIN_POLL_SECONDS * 1000 > LINGER_MS) return false;
    const before = deps.clock.now();
    await deps.clock.sleep(MIN_POLL_SECONDS * 1000);
    // A clock that did not move (time stopped in a test) leaves the rest to the next run.
    if (deps.clock.now() === before) return false;
  }
}
