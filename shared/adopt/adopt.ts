import { readWorld } from '../steps/validate.ts';
import { tokensFor, type StepInput, type StepDeps } from '../steps/types.ts';
import { inspectAdoption } from './inspect.ts';
import { writeMarks } from './mark.ts';
import type { AdoptionReport, AdoptNames } from './types.ts';

/**
 * `zpl adopt`, first half: reads what is there, refuses what may not be adopted and, confirmed
 * (`write`) with nothing refused, writes the ownership marks — nothing else: converging the
 * resources on the spec is apply's. The report carries the link's reads and the marks on to the
 * second half (differences.ts), which says how the link then differs from its spec.
 */
export async function inspectAndMark(
  input: Pick<StepInput, 'spec' | 'state' | 'execution'>,
  names: AdoptNames,
  write: boolean,
  deps: StepDeps,
): Promise<AdoptionReport> {
  const { spec } = input;
  const world = await readWorld(spec, deps);
  const found = await inspectAdoption(spec, names, world, deps);
  const written = write && found.refusals.length === 0;
  const state = written ? await writeMarks(found.marks, input.state, deps, tokensFor(input)) : input.state;
  return {
    linkId: input.state.linkId,
    refusals: found.refusals,
    items: found.items,
    marks: found.marks,
    ...(found.refusals.length ? {} : { view: world }),
    differences: [],
    differenceCount: 0,
    written,
    changes: state.changes,
  };
}
