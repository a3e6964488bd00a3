import { DRIFT_FLOW, FOLLOW_FLOW, PROVISION_FLOW, TEARDOWN_FLOW } from './flow-names.ts';
import { RUN_TAGS } from './link-runs.ts';

/** zpl's flows, in the order a name that says nothing is looked up (`zpl status`, `zpl executions`). */
export const ZPL_FLOWS = [PROVISION_FLOW, TEARDOWN_FLOW, DRIFT_FLOW, FOLLOW_FLOW] as const;
export type ZplFlow = (typeof ZPL_FLOWS)[number];

const LINK = 'zpl-[0-9a-f]{12}';
const run = (flow: string) => new RegExp(`^(${LINK})-${RUN_TAGS[flow]}\\d+$`);
/** The names zpl gives (link-runs.ts runName, link-joins.ts followerName, the drift starters' `drift-…`). */
const NAMED: [RegExp, ZplFlow][] = [
  [new RegExp(`^(${LINK})-[${Object.values(RUN_TAGS).join('')}]\\d+-j[0-9a-f]{16}$`), FOLLOW_FLOW],
  [run(PROVISION_FLOW), PROVISION_FLOW],
  [run(TEARDOWN_FLOW), TEARDOWN_FLOW],
  [/^drift-/, DRIFT_FLOW],
];

/** The flow an execution belongs to, read from its name; undefined for a name zpl did not give (`apply --name`). */
export function flowOfExecution(name: string): ZplFlow | undefined {
  return NAMED.find(([pattern]) => pattern.test(name))?.[1];
}

/** The link an execution works for, read from its name (runs and followers), if it names one. */
export function linkOfExecution(name: string): string | undefined {
  return new RegExp(`^(${LINK})-`).exec(name)?.[1];
}
