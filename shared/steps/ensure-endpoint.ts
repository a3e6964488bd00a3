import { endpointDescription, endpointName, endpointStateTags, linkId, ownershipTags, TAG, type Tag } from '../derived.ts';
import type { LinkSpec } from '../spec.ts';
import { isAliyunError } from '../aliyun/errors.ts';
import { createOnce } from './create-once.ts';
import { convergeZones } from './endpoint-zones.ts';
import { prerequisiteFailure } from './prerequisites.ts';
import { convergeTags } from './tag-changes.ts';
import {
  createTokensFor,
  noteChange,
  type CreateTokens,
  StepFailure,
  tokensFor,
  type LinkState,
  type Step,
  type StepDeps,
  type Tokens,
} from './types.ts';

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

const STEP = 'EnsureEndpoint';
/** Written by others, not this step's to change: EnsureDns's `zpl:bound`, adopt's `zpl:adopted`. */
export const WRITTEN_ELSEWHERE = [TAG.bound, TAG.adopted];

/** A new endpoint; its ClientToken lasts the link's lifetime and covers the whole request (createOnce). */
async function create(spec: LinkSpec, state: LinkState, deps: StepDeps, tokens: CreateTokens, securityGroupId: string, serviceId: string) {
  const request = {
    vpcId: spec.vpcId,
    serviceId,
    securityGroupIds: [securityGroupId],
    zones: state.zones!,
    name: endpointName(spec),
    description: endpointDescription(spec),
    tags: desiredTags(spec, state.port),
  };
  const { created } = await createOnce({
    tokens,
    step: 'endpoint',
    params: request,
    create: (clientToken) => deps.aliyun.privateLink.createEndpoint({ ...request, clientToken }),
    idOf: (r) => r.EndpointId,
    exists: async (id) => {
      const ep = await deps.aliyun.privateLink.getEndpoint(id);
      return ep !== undefined && ep.EndpointStatus !== 'Deleting';
    },
  });
  return created.EndpointId;
}

/**
 * PrivateLink refuses a second endpoint from one VPC to one service (`EndpointDuplicated`,
 * privatelink_2020-04-15.json CreateVpcEndpoint errorCodes 400): a create of an earlier run landed
 * after this run looked. Ours is then found by its tag.
 */
async function createOrFind(
  spec: LinkSpec,
  state: LinkState,
  deps: StepDeps,
  tokens: CreateTokens,
  securityGroupId: string,
  serviceId: string,
) {
  try {
    return await create(spec, state, deps, tokens, securityGroupId, serviceId);
  } catch (e) {
    const cause = prerequisiteFailure(e, spec.region) ?? e;
    if (!isAliyunError(e, 'EndpointDuplicated')) throw cause;
    const again = await findEndpoint(spec, state.serviceName, deps);
    if (again.kind !== 'ours') throw cause;
    return again.id;
  }
}

/**
 * Untags keys from ours. A key gone meanwhile (TagInfoNotExist, whose meaning the metadata does
 * not give) makes it read the tags again and untag those still there.
 */
async function untagEndpoint(spec: LinkSpec, deps: StepDeps, token: Tokens, id: string, keys: string[]) {
  const pl = deps.aliyun.privateLink;
  try {
    await pl.untagEndpoint(id, keys, token('endpoint-untag', keys));
  } catch (e) {
    if (!isAliyunError(e, 'TagInfoNotExist')) throw e;
    const now = (await pl.listEndpoints({ vpcId: spec.vpcId, tags: [{ Key: TAG.link, Value: linkId(spec) }] })).find(
      (x) => x.EndpointId === id,
    );
    const still = keys.filter((k) => (now?.Tags ?? []).some((t) => t.Key === k));
    if (still.length) await pl.untagEndpoint(id, still, token('endpoint-untag', still));
  }
}

export const ensureEndpoint: Step = async (input, deps) => {
  const { spec, state } = input;
  const token = tokensFor(input);
  const { serviceId, serviceName, securityGroupId, zones } = state;
  if (!serviceId || !securityGroupId || !zones)
    throw new StepFailure('State.Incomplete', 'the service, security group or zones are unknown: earlier steps did not run');
  const plan = await findEndpoint(spec, serviceName, deps);
  if (plan.kind === 'create') {
    const id = await createOrFind(spec, state, deps, createTokensFor(input), securityGroupId, serviceId);
    return { state: noteChange({ ...state, endpointId: id }, { step: STEP, action: 'created', resource: 'endpoint', id }) };
  }
  const next: LinkState = { ...state, endpointId: plan.id };
  if (plan.kind === 'found') {
    const note = 'not created by zpl; left as found';
    return { state: noteChange(next, { step: STEP, action: 'reused', resource: 'endpoint', id: plan.id, note }) };
  }
  // Ours: keep the recorded desired state current (clusters come and go), then its zones.
  const tags = await convergeTags({
    state: next,
    step: STEP,
    what: 'endpoint',
    id: plan.id,
    have: plan.tags,
    desired: desiredTags(spec, state.port),
    keep: WRITTEN_ELSEWHERE,
    untag: (keys) => untagEndpoint(spec, deps, token, plan.id, keys),
    tag: async (tags) => void (await deps.aliyun.privateLink.tagEndpoint(plan.id, tags, token('endpoint-tags', tags))),
  });
  const zoneChanges = await convergeZones(deps, token, STEP, { id: plan.id, status: plan.status }, zones);
  const converged = zoneChanges.reduce((s, c) => noteChange(s, c), tags.state);
  if (tags.changed || zoneChanges.length > 0) return { state: converged };
  return { state: noteChange(converged, { step: STEP, action: 'unchanged', resource: 'endpoint', id: plan.id }) };
};
