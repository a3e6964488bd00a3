import { linkId } from './derived.ts';
import type { LinkPlan, PlanItem } from './plan.ts';
import type { LinkSpec } from './spec.ts';
import { planOurEndpoint } from './plan-endpoint.ts';
import { planDns } from './plan-dns.ts';
import { planSecurityGroup } from './plan-security-group.ts';
import { findEndpoint } from './steps/ensure-endpoint.ts';
import { created, unchanged } from './plan-values.ts';
import type { StepDeps } from './steps/types.ts';
import type { WorldView } from './steps/validate.ts';

/**
 * `zpl plan`'s items from the link's reads (readWorld's view, which shared/plan.ts makes): kept
 * apart so the adopt flow can plan from a view it read in an earlier step without carrying the
 * reading code (its function bundle stays under 100 KiB).
 */

/** The actions that change something. */
export const CHANGES: readonly PlanItem['action'][] = ['create', 'update', 'remove'];

export async function planFromWorld(spec: LinkSpec, deps: StepDeps, world: WorldView): Promise<LinkPlan> {
  const items: PlanItem[] = [];
  const plan: LinkPlan = { linkId: linkId(spec), problems: world.problems, items };
  if (world.problems.length > 0) return plan;

  const allowlisted = { accountId: spec.accountId, projectId: spec.projectId };
  items.push({
    action: 'keep',
    resource: 'Zilliz allowlist',
    id: spec.accountId,
    ...unchanged(allowlisted),
    detail: `ensure account ${spec.accountId} is allowlisted for ${spec.projectId} (add-only, repeat-safe)`,
  });

  items.push(...(await planSecurityGroup(spec, deps, world)));

  const ep = await findEndpoint(spec, world.serviceName, deps);
  if (ep.kind === 'create')
    items.push({
      action: 'create',
      resource: 'interface endpoint',
      ...created({ service: world.serviceName, zones: world.zones.map((z) => ({ zoneId: z.zoneId, vSwitchId: z.vSwitchId })) }),
      detail: `to ${world.serviceName} in ${world.zones.map((z) => `${z.zoneId} (${z.vSwitchId})`).join(', ')}`,
      risk: 'each zone is billed by the hour and takes an address in its vSwitch',
    });
  else if (ep.kind === 'found')
    items.push({
      action: 'reuse',
      resource: 'interface endpoint',
      id: ep.id,
      ...unchanged({ status: ep.status }),
      detail: `${ep.id} (not created by zpl; left as found)`,
    });
  else items.push(...(await planOurEndpoint(spec, deps, world, ep)));

  const registered = ep.kind !== 'create' && (await deps.zilliz.listEndpoints(spec.projectId)).some((e) => e.endpointId === ep.id);
  const registration = { projectId: spec.projectId, endpointId: ep.kind === 'create' ? null : ep.id };
  items.push(
    registered
      ? {
          action: 'keep',
          resource: 'Zilliz registration',
          id: ep.id,
          ...unchanged(registration),
          detail: 'the endpoint is registered',
        }
      : {
          action: 'create',
          resource: 'Zilliz registration',
          ...created(registration),
          detail: 'register the endpoint with the project',
        },
  );

  const endpointDomain = ep.kind !== 'create' ? (await deps.aliyun.privateLink.getEndpoint(ep.id))?.EndpointDomain : undefined;
  items.push(...(await planDns(spec, world.clusters, endpointDomain, deps)));
  return plan;
}
