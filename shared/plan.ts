import { linkId } from './derived.ts';
import type { LinkSpec } from './spec.ts';
import { planOurEndpoint } from './plan-endpoint.ts';
import { planDns } from './plan-dns.ts';
import { planSecurityGroup } from './plan-security-group.ts';
import { findEndpoint } from './steps/ensure-endpoint.ts';
import type { StepDeps } from './steps/types.ts';
import { readWorld } from './steps/validate.ts';

/**
 * What a provisioning run would do, from reads only: the same lookups the steps make, without
 * a single write. `create`, `update` and `remove` are changes (`risk` says what one costs or
 * whom it cuts off); `reuse` and `keep` touch nothing. Each item also says, for machines, which
 * resource it is and what it is before and after, as Terraform's JSON plan does
 * (`resource_changes[].change.before/after`, null for an object that does not exist:
 * https://developer.hashicorp.com/terraform/internals/json-format#change-representation).
 */
export interface PlanItem {
  action: 'create' | 'update' | 'remove' | 'reuse' | 'keep' | 'conflict';
  kind: PlanKind;
  resource: string;
  /** The resource's ID when it exists (sg-…, ep-…, a zone ID, a record's host). */
  id?: string;
  before: PlanValue | null;
  after: PlanValue | null;
  detail: string;
  risk?: string;
}

export type PlanValue = Record<string, unknown>;

/** The kinds of resource a plan speaks of, for machines (`resource` says the same in words). */
export const PLAN_KINDS = [
  'zilliz_allowlist',
  'zilliz_registration',
  'security_group',
  'security_group_rules',
  'security_group_tags',
  'endpoint',
  'endpoint_zones',
  'endpoint_tags',
  'private_zone',
  'dns_record',
] as const;
export type PlanKind = (typeof PLAN_KINDS)[number];

/** The actions that change something. */
export const CHANGES: readonly PlanItem['action'][] = ['create', 'update', 'remove'];

export interface LinkPlan {
  linkId: string;
  problems: string[];
  items: PlanItem[];
}

export async function planLink(spec: LinkSpec, deps: StepDeps): Promise<LinkPlan> {
  const items: PlanItem[] = [];
  const world = await readWorld(spec, deps);
  const plan: LinkPlan = { linkId: linkId(spec), problems: world.problems, items };
  if (world.problems.length > 0) return plan;

  const allowlisted = { accountId: spec.accountId, projectId: spec.projectId };
  items.push({
    action: 'keep',
    kind: 'zilliz_allowlist',
    resource: 'Zilliz allowlist',
    id: spec.accountId,
    before: allowlisted,
    after: allowlisted,
    detail: `ensure account ${spec.accountId} is allowlisted for ${spec.projectId} (add-only, repeat-safe)`,
  });

  items.push(...(await planSecurityGroup(spec, deps, world)));

  const ep = await findEndpoint(spec, world.serviceName, deps);
  if (ep.kind === 'create')
    items.push({
      action: 'create',
      kind: 'endpoint',
      resource: 'interface endpoint',
      before: null,
      after: { service: world.serviceName, zones: world.zones.map((z) => ({ zoneId: z.zoneId, vSwitchId: z.vSwitchId })) },
      detail: `to ${world.serviceName} in ${world.zones.map((z) => `${z.zoneId} (${z.vSwitchId})`).join(', ')}`,
      risk: 'each zone is billed by the hour and takes an address in its vSwitch',
    });
  else if (ep.kind === 'found')
    items.push({
      action: 'reuse',
      kind: 'endpoint',
      resource: 'interface endpoint',
      id: ep.id,
      before: { status: ep.status },
      after: { status: ep.status },
      detail: `${ep.id} (not created by zpl; left as found)`,
    });
  else items.push(...(await planOurEndpoint(spec, deps, world, ep)));

  const registered = ep.kind !== 'create' && (await deps.zilliz.listEndpoints(spec.projectId)).some((e) => e.endpointId === ep.id);
  const registration = { projectId: spec.projectId, endpointId: ep.kind === 'create' ? null : ep.id };
  items.push(
    registered
      ? {
          action: 'keep',
          kind: 'zilliz_registration',
          resource: 'Zilliz registration',
          id: ep.id,
          before: registration,
          after: registration,
          detail: 'the endpoint is registered',
        }
      : {
          action: 'create',
          kind: 'zilliz_registration',
          resource: 'Zilliz registration',
          before: null,
          after: registration,
          detail: 'register the endpoint with the project',
        },
  );

  const endpointDomain = ep.kind !== 'create' ? (await deps.aliyun.privateLink.getEndpoint(ep.id))?.EndpointDomain : undefined;
  items.push(...(await planDns(spec, world.clusters, endpointDomain, deps)));
  return plan;
}
