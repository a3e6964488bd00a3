import { CHANGES, planFromWorld } from '../plan-world.ts';
import type { LinkSpec } from '../spec.ts';
import type { StepDeps } from '../steps/types.ts';
import { asAdopted } from './as-adopted.ts';
import { DIFFERENCES_MAX, type AdoptionReport } from './types.ts';

/**
 * `zpl adopt`, second half: how the link differs from its spec once the marks are written —
 * `zpl plan`'s own items over the adopted view (as-adopted.ts), from the reads the first half
 * made; only changes and conflicts, what apply will do or stop at. Nothing to plan after a refusal.
 */
export async function withDifferences(spec: LinkSpec, report: AdoptionReport, deps: StepDeps): Promise<AdoptionReport> {
  const { view, ...rest } = report;
  if (!view) return rest;
  const plan = await planFromWorld(spec, { ...deps, aliyun: asAdopted(deps.aliyun, report.marks) }, view);
  const differences = plan.items.filter((i) => CHANGES.includes(i.action) || i.action === 'conflict');
  return { ...rest, differences: differences.slice(0, DIFFERENCES_MAX), differenceCount: differences.length };
}
