import { linkId } from './derived.ts';
import type { LinkSpec } from './spec.ts';
import { findSecurityGroup, desiredRules, missingRules } from './steps/ensure-security-group.ts';
import { findEndpoint } from './steps/ensure-endpoint.ts';
import { planDns } from './plan-dns.ts';
import type { StepDeps } from './steps/types.ts';
import { readWorld } from './steps/validate.ts';

/**
 * What a provisioning run would do, from reads only: the same lookups the steps make, without
 * a single write. `create`, `update` and `remove` are changes; `reuse` and `keep` touch nothing.
 */
export interface PlanItem {
  action: 'create' | 'update' | 'remove' | 'reuse' | 'keep' | 'conflict';
  resource: string;
  detail: string;
}

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

  items.push({
    action: 'keep',
    resource: 'Zilliz allowlist',
    detail: `ensure account ${spec.accountId} is allowlisted for ${spec.projectId} (add-only, repeat-safe)`,
  });

  const sg = await findSecurityGroup(spec, deps);
  const rules = desiredRules(spec, world);
  if (sg.kind === 'given') items.push({ action: 'reuse', resource: 'security group', detail: `${sg.id} (given; left as found)` });
  else if (sg.kind === 'create')
    items.push({
      action: 'create',
      resource: 'security group',
      detail: `${rules.map((r) => `${r.protocol} ${r.portRange} from ${r.sourceCidr}`).join(', ')}`,
    });
  else {
    const missing = await missingRules(deps, sg.id, rules);
    items.push(
      missing.length
        ? {
            action: 'update',
            resource: 'security group',
            detail: `${sg.id}: add ${missing.map((r) => `${r.protocol} ${r.portRange} from ${r.sourceCidr}`).join(', ')}`,
          }
        : { action: 'keep', resource: 'security group', detail: sg.id },
    );
  }

  const ep = await findEndpoint(spec, world.serviceName, deps);
  if (ep.kind === 'create')
    items.push({
      action: 'create',
      resource: 'interface endpoint',
      detail: `to ${world.serviceName} in ${world.zones.map((z) => `${z.zoneId} (${z.vSwitchId})`).join(', ')}`,
    });
  else if (ep.kind === 'found')
    items.push({ action: 'reuse', resource: 'interface endpoint', detail: `${ep.id} (not created by zpl; left as found)` });
  else {
    const have = new Set((await deps.aliyun.privateLink.endpointZones(ep.id)).map((z) => z.ZoneId));
    const missing = world.zones.filter((z) => !have.has(z.zoneId));
    items.push(
      missing.length
        ? { action: 'update', resource: 'interface endpoint', detail: `${ep.id}: add zones ${missing.map((z) => z.zoneId).join(', ')}` }
        : { action: 'keep', resource: 'interface endpoint', detail: `${ep.id} (${ep.status})` },
    );
  }

  const registered = ep.kind !== 'create' && (await deps.zilliz.listEndpoints(spec.projectId)).some((e) => e.endpointId === ep.id);
  items.push(
    registered
      ? { action: 'keep', resource: 'Zilliz registration', detail: 'the endpoint is registered' }
      : { action: 'create', resource: 'Zilliz registration', detail: 'register the endpoint with the project' },
  );

  const endpointDomain = ep.kind !== 'create' ? (await deps.aliyun.privateLink.getEndpoint(ep.id))?.EndpointDomain : undefined;
  items.push(...(await planDns(spec, world.clusters, endpointDomain, deps)));
  return plan;
}
