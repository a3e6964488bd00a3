import type { LinkSpec } from './spec.ts';
import { planFromWorld } from './plan-world.ts';
import type { StepDeps } from './steps/types.ts';
import { readWorld } from './steps/validate.ts';

/**
 * What a provisioning run would do, from reads only: the same lookups the steps make, without
 * a single write. `create`, `update` and `remove` are changes (`risk` says what one costs or
 * whom it cuts off); `reuse` and `keep` touch nothing.
 */
export interface PlanItem {
  action: 'create' | 'update' | 'remove' | 'reuse' | 'keep' | 'conflict';
  resource: string;
  detail: string;
  risk?: string;
}

export { CHANGES } from './plan-world.ts';

export interface LinkPlan {
  linkId: string;
  problems: string[];
  items: PlanItem[];
}

export async function planLink(spec: LinkSpec, deps: StepDeps): Promise<LinkPlan> {
  return planFromWorld(spec, deps, await readWorld(spec, deps));
}
