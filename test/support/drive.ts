import type { VirtualClock } from '../../shared/clock.ts';
import type { Engine } from '../../local/engine/engine.ts';

/**
 * Moves a manual clock until `done()`: a step forward every few turns of the event loop, by
 * default only while no function is running, so a step's real work never eats its Timeout
 * (`engine: undefined` moves time regardless: the engine conformance suite times out functions
 * that never answer). True when done.
 */
export async function driveUntil(clock: VirtualClock, engine: Engine | undefined, done: () => boolean, stepMs = 5_000, maxTurns = 100_000): Promise<boolean> {
  for (let i = 0; !done(); i++) {
    if (i > maxTurns) return false;
    await new Promise((r) => setTimeout(r, 1));
    if (i % 3 === 2 && (!engine || engine.busy === 0)) clock.advance(stepMs);
  }
  return true;
}

/** The history of an execution shows `step` finished its task. */
export const taskSucceeded = (engine: Engine, flow: string, name: string, step: string) => () =>
  engine.history(flow, name).some((e) => e.StepName === step && e.Type === 'TaskSucceeded');
