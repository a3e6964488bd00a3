import { inspectAndMark } from '../adopt/adopt.ts';
import { adoptInput } from '../adopt/request.ts';
import { withDifferences } from '../adopt/differences.ts';
import { StepFailure, type Step } from './types.ts';

/**
 * The adopt flow's two steps (shared/adopt/): the named resources inspected and, confirmed, marked
 * as the link's; then how the link differs from its spec. Two functions, so neither bundle carries
 * both the reading of the world and the planning. The report rides in the state; a refusal is a
 * report, not a failure.
 */
export const adoptStep: Step = async (input, deps) => {
  if (input.adopt === undefined) throw new StepFailure('Adopt.Missing', 'the input names no endpoint to adopt (adopt.endpointId)');
  const given = adoptInput().safeParse(input.adopt);
  if (!given.success)
    throw new StepFailure('Adopt.Invalid', given.error.issues.map((i) => `adopt.${i.path.join('.')}: ${i.message}`).join('; '));
  const { confirm, ...names } = given.data;
  const adoption = await inspectAndMark(input, names, confirm, deps);
  return { state: { ...input.state, changes: adoption.changes, adoption } };
};

export const planAdoptionStep: Step = async (input, deps) => {
  const { adoption } = input.state;
  if (!adoption) throw new StepFailure('State.Incomplete', 'the adoption was not inspected: the Adopt step did not run');
  return { state: { ...input.state, adoption: await withDifferences(input.spec, adoption, deps) } };
};
