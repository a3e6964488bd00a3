import { SpecDiffersError } from '../shared/link-joins.ts';
import { LinkBusyError } from '../shared/link-runs.ts';
import type { LinkSpec } from '../shared/spec.ts';
import { EXIT_STALE_PLAN, StalePlanError } from './saved-plan.ts';
import { readSpecFile, specFileProblems } from './spec-file.ts';
import { openTarget, stackUnreachable, type Target } from './target.ts';

/**
 * How a command ends when something is wrong: exit 2 for an invalid spec (with every field
 * error), exit 3 when the link is busy (a teardown, or a provision run of another spec, is
 * running: ask again once it has ended), exit 4 when a saved plan no longer holds (plan again),
 * exit 1 for any other error, `zpl: <message>` on stderr.
 */

export const EXIT_BUSY = 3;

/** A valid spec from a file, or why not (the file's problem, or every field error) on stderr and exit code 2. */
export function specOrExit(file: string): LinkSpec {
  const result = readSpecFile(file);
  if (result.ok) {
    for (const w of result.warnings) console.error(`warning: ${w}`);
    return result.spec;
  }
  for (const line of specFileProblems(file, result)) console.error(line);
  process.exit(2);
}

export async function fail(e: unknown): Promise<never> {
  console.error(`zpl: ${e instanceof Error ? e.message : String(e)}`);
  if (e instanceof SpecDiffersError) for (const d of e.differences) console.error(`  - ${d.field}: ${d.message}`);
  process.exit(e instanceof LinkBusyError || e instanceof SpecDiffersError ? EXIT_BUSY : e instanceof StalePlanError ? EXIT_STALE_PLAN : 1);
}

/** Opens the target, runs the command on it, and closes it; any error ends the CLI with exit 1. */
export async function onTarget(
  kind: string,
  where: { region?: string; accountId?: string; regionFrom?: string; profile?: string },
  stateDir: string,
  deploy: boolean,
  run: (target: Target) => Promise<void>,
): Promise<void> {
  const target = await openTarget(kind, where, stateDir, deploy).catch(fail);
  try {
    await run(target);
  } catch (e) {
    await fail(target.kind === 'stack' ? stackUnreachable(e, stateDir) : e);
  } finally {
    await target.close();
  }
}
