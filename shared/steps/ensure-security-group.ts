import { linkId, securityGroupName, securityGroupTags, MANAGED_BY, TAG, type Tag } from '../derived.ts';
import type { LinkSpec } from '../spec.ts';
import { createOnce } from './create-once.ts';
import { allowedSources, describeHave, describeWanted, desiredRules, ingressRules, revokeRules, ruleDiff } from './security-group-rules.ts';
import { deleteDuplicates, keeperOf, ourGroups, type OwnGroup } from './security-group-sweep.ts';
import { convergeTags, type Converged } from './tag-changes.ts';
import {
  createTokensFor,
  noteChange,
  type CreateTokens,
  tokensFor,
  type LinkState,
  type Step,
  type StepDeps,
  type Tokens,
} from './types.ts';

const STEP = 'EnsureSecurityGroup';

export type SecurityGroupPlan = { kind: 'given'; id: string } | { kind: 'ours'; id: string; all: OwnGroup[] } | { kind: 'create' };

/** The group to use: the one the spec names, else ours (by tag; every one of them in `all`, oldest first), else a new one. */
export async function findSecurityGroup(spec: LinkSpec, deps: StepDeps): Promise<SecurityGroupPlan> {
  if (spec.securityGroupId) return { kind: 'given', id: spec.securityGroupId };
  const all = await ourGroups(spec, deps);
  return all[0] ? { kind: 'ours', id: all[0].id, all } : { kind: 'create' };
}

/** Adopt's `zpl:adopted` mark: not this step's to change. */
export const GROUP_WRITTEN_ELSEWHERE = [TAG.adopted];

/** The tags ours carries: ownership and the desired state drift checks and remediation read back (sources, port, ICMP). */
export const desiredGroupTags = (spec: LinkSpec, state: Pick<LinkState, 'vpcCidrs' | 'port'>): Tag[] =>
  securityGroupTags(spec, { cidrs: allowedSources(spec, state) ?? [], port: state.port });

/** A new group with its desired tags; its ClientToken lasts the link's lifetime and covers the whole request (createOnce). */
async function create(spec: LinkSpec, state: LinkState, deps: StepDeps, tokens: CreateTokens): Promise<string> {
  const request = {
    vpcId: spec.vpcId,
    name: securityGroupName(spec),
    description: `Zilliz Cloud private link ${linkId(spec)} (${MANAGED_BY})`,
    tags: desiredGroupTags(spec, state),
  };
  const { created } = await createOnce({
    tokens,
    step: 'sg',
    params: request,
    create: (clientToken) => deps.aliyun.securityGroups.create({ ...request, clientToken }),
    idOf: (r) => r.SecurityGroupId,
    exists: async (id) => (await deps.aliyun.securityGroups.describe(id)) !== undefined,
  });
  return created.SecurityGroupId;
}

/**
 * Converges the rules of zpl's own group on the spec: adds what is missing first (a changed port
 * or source is open before the old one closes), then revokes what the spec no longer asks for and
 * anything added by hand.
 */
async function convergeRules(spec: LinkSpec, state: LinkState, deps: StepDeps, token: Tokens, id: string): Promise<Converged> {
  let next = state;
  const { missing, unwanted } = ruleDiff(await ingressRules(deps, id), desiredRules(spec, state));
  if (missing.length > 0) {
    // In calls of at most 100 distinct permissions, each with a token of its own batch (ecs.ts).
    await deps.aliyun.securityGroups.authorize(id, missing, (batch) => token('sg-rules', batch));
    next = noteChange(next, {
      step: STEP,
      action: 'updated',
      resource: 'security group rules',
      id,
      note: missing.map(describeWanted).join(', '),
    });
  }
  if (unwanted.length > 0) {
    await revokeRules(deps, token, id, unwanted);
    next = noteChange(next, {
      step: STEP,
      action: 'revoked',
      resource: 'security group rules',
      id,
      note: unwanted.map(describeHave).join(', '),
    });
  }
  return { state: next, changed: missing.length + unwanted.length > 0 };
}

export const ensureSecurityGroup: Step = async (input, deps) => {
  const { spec, state } = input;
  const token = tokensFor(input);
  desiredRules(spec, state); // the port and sources must be known before anything is changed
  const plan = await findSecurityGroup(spec, deps);
  if (plan.kind === 'given') {
    // A group the user brought is used as it is: never changed.
    const note = 'given in the spec; left as found';
    return {
      state: noteChange(
        { ...state, securityGroupId: plan.id },
        { step: STEP, action: 'reused', resource: 'security group', id: plan.id, note },
      ),
    };
  }
  if (plan.kind === 'create') {
    const id = await create(spec, state, deps, createTokensFor(input));
    const next = noteChange(state, { step: STEP, action: 'created', resource: 'security group', id });
    return { state: { ...(await convergeRules(spec, next, deps, token, id)).state, securityGroupId: id } };
  }
  const keep = await keeperOf(spec, deps, plan.all);
  const swept = await deleteDuplicates(deps, STEP, keep, plan.all);
  const id = keep.keep.id;
  const rules = await convergeRules(
    spec,
    swept.reduce((s, c) => noteChange(s, c), state),
    deps,
    token,
    id,
  );
  // Its tags exactly the desired ones (untag first: tag-changes.ts).
  const tags = await convergeTags({
    state: rules.state,
    step: STEP,
    what: 'security group',
    id,
    have: keep.keep.tags,
    desired: desiredGroupTags(spec, rules.state),
    keep: GROUP_WRITTEN_ELSEWHERE,
    untag: async (keys) => void (await deps.aliyun.securityGroups.untag(id, keys)),
    tag: async (tags) => void (await deps.aliyun.securityGroups.tag(id, tags)),
  });
  const next =
    swept.length > 0 || rules.changed || tags.changed
      ? tags.state
      : noteChange(tags.state, { step: STEP, action: 'unchanged', resource: 'security group', id });
  return { state: { ...next, securityGroupId: id } };
};
