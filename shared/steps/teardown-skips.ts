import { noteChange, type LinkState, type TeardownScope } from './types.ts';

/**
 * A teardown of some clusters (`--cluster`, `clusters` in the API) removes only their records:
 * the link's other steps note a `skipped` change saying so, and progress shows them as skipped
 * rather than done. (A link with nothing left to remove notes nothing, as before.)
 */
export function clustersOnly(plan: TeardownScope, what: string): string | undefined {
  return plan.scope === 'clusters' ? `only the named clusters' records are removed (--cluster); the ${what} stays` : undefined;
}

export const noteSkipped = (state: LinkState, step: string, resource: string, why: string): LinkState =>
  noteChange(state, { step, action: 'skipped', resource, note: why });
