import { adopt } from '../adopt/adopt.ts';
import { StepFailure, type Step } from './types.ts';

/**
 * The adopt flow's one step: the named resources inspected and, confirmed, marked as the link's
 * (shared/adopt/). Its report rides in the state; a refusal is a report, not a failure.
 */
export const adoptStep: Step = async (input, deps) => {
  if (!input.adopt) throw new StepFailure('Adopt.Missing', 'the input names no endpoint to adopt (adopt.endpointId)');
  const { confirm, ...names } = input.adopt;
  const adoption = await adopt(input, names, confirm, deps);
  return { state: { ...input.state, changes: adoption.changes, adoption } };
};
