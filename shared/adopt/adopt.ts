import { CHANGES, planLink } from '../plan.ts';
import { readWorld } from '../steps/validate.ts';
import { tokensFor, type StepInput, type StepDeps } from '../steps/types.ts';
import { asAdopted } from './as-adopted.ts';
import { inspectAdoption } from './inspect.ts';
import { writeMarks } from './mark.ts';
import { DIFFERENCES_MAX, type AdoptionReport, type AdoptNames } from './types.ts';

/**
 * `zpl adopt`: takes the named existing resources over for the link the spec describes. It reads
 * what is there, refuses what may not be adopted, and shows how the link will then differ from its
 * spec (the plan of the adopted view); confirmed (`write`) and nothing refused, it writes the
 * ownership marks — nothing else: converging them on the spec is apply's.
 */
export async function adopt(
  input: Pick<StepInput, 'spec' | 'state' | 'execution'>,
  names: AdoptNames,
  write: boolean,
  deps: StepDeps,
): Promise<AdoptionReport> {
  const { spec } = input;
  const world = await readWorld(spec, deps);
  const found = await inspectAdoption(spec, names, world, deps);
  const plan = found.refusals.length ? undefined : await planLink(spec, { ...deps, aliyun: asAdopted(deps.aliyun, found.marks) }, world);
  // What apply will change (or stop at) once they are the link's; what it keeps as it is is not a difference.
  const differences = (plan?.items ?? []).filter((i) => CHANGES.includes(i.action) || i.action === 'conflict');
  const written = write && found.refusals.length === 0;
  const state = written ? await writeMarks(found.marks, input.state, deps, tokensFor(input)) : input.state;
  return {
    linkId: input.state.linkId,
    refusals: found.refusals,
    items: found.items,
    differences: differences.slice(0, DIFFERENCES_MAX),
    differenceCount: differences.length,
    written,
    changes: state.changes,
  };
}
