import type { LinkSpec } from './spec.ts';
import { planFromWorld } from './plan-world.ts';
import type { StepDeps } from './steps/types.ts';
import { readWorld } from './steps/validate.ts';

/**
 * What a provisioning run would do, from reads only: the same lookups the steps make, without
 * a single write. `create`, `update` and `remove` are changes (`risk` says what one costs or
 * whom it cuts off); `reuse` and `keep` touch nothing. Each item also says, for machines, the
 * resource's ID and what it is before and after, as Terraform's JSON plan does
 * (`resource_changes[].change.before/after`, null for an object that does not exist:
 * https://developer.hashicorp.com/terraform/internals/json-format#change-representation).
 */
export interface PlanItem {
  action: 'create' | 'update' | 'remove' | 'reuse' | 'keep' | 'conflict';
  resource: string;
  /** The resource's ID when it exists (sg-…, ep-…, a zone ID, a record's host). */
  id?: string;
  before: PlanValue | null;
  after: PlanValue | null;
  detail: string;
  risk?: string;
}

export type PlanValue = Record<string, unknown>;

export { CHANGES } from './plan-world.ts';

export interface LinkPlan {
  linkId: string;
  problems: string[];
  items: PlanItem[];
}

export async function planLink(spec: LinkSpec, deps: StepDeps): Promise<LinkPlan> {
  return planFromWorld(spec, deps, await readWorld(spec, deps));
}
