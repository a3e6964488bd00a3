import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { emitYaml } from '../shared/flow-gen/emit.ts';
import { stateMachine, type Flow } from '../shared/flow-gen/fdl.ts';
import { drift } from './drift.ts';
import { provision } from './provision.ts';
import { teardown } from './teardown.ts';

/** flows/<name>.yaml from flows/<name>.ts: `npm run flows` writes them, test/flows-generated.test.ts holds the committed ones to this. */
export const FLOW_DESCRIPTIONS: Record<string, Flow> = { provision, teardown, drift };

export const generateFlows = (): Record<string, string> =>
  Object.fromEntries(Object.entries(FLOW_DESCRIPTIONS).map(([name, flow]) => [`${name}.yaml`, emitYaml(flow.header, stateMachine(flow))]));

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const [file, text] of Object.entries(generateFlows())) {
    writeFileSync(join(import.meta.dirname, file), text);
    console.log(`flows/${file}`);
  }
}
