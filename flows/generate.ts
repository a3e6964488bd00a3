import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mermaid } from '../local/engine/diagram.ts';
import { requireFlow } from '../local/engine/fdl-check.ts';
import { emitYaml } from './gen/emit.ts';
import { stateMachine, type Flow } from './gen/fdl.ts';
import { adopt } from './adopt.ts';
import { doctor } from './doctor.ts';
import { drift } from './drift.ts';
import { follow } from './follow.ts';
import { provision } from './provision.ts';
import { teardown } from './teardown.ts';

/** flows/<name>.yaml from flows/<name>.ts: `npm run flows` writes them, test/flows-generated.test.ts holds the committed ones to this. */
export const FLOW_DESCRIPTIONS: Record<string, Flow> = { provision, teardown, drift, follow, adopt, doctor };

export const generateFlows = (): Record<string, string> =>
  Object.fromEntries(Object.entries(FLOW_DESCRIPTIONS).map(([name, flow]) => [`${name}.yaml`, emitYaml(flow.header, stateMachine(flow))]));

const README = join(import.meta.dirname, '..', 'README.md');
const CHART = /```mermaid\n[\s\S]*?\n```/;

/** The README with its chart (the first mermaid block) drawn from the provision flow's YAML, as test/readme-diagram.test.ts expects. */
export function readmeWithChart(readme: string, provisionYaml: string): string {
  if (!CHART.test(readme)) throw new Error('README.md has no ```mermaid block to draw the provision flow into');
  return readme.replace(CHART, () => `\`\`\`mermaid\n${mermaid(requireFlow(provisionYaml))}\n\`\`\``);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const [file, text] of Object.entries(generateFlows())) {
    writeFileSync(join(import.meta.dirname, file), text);
    console.log(`flows/${file}`);
  }
  const readme = readFileSync(README, 'utf8');
  const drawn = readmeWithChart(readme, generateFlows()['provision.yaml']!);
  if (drawn !== readme) writeFileSync(README, drawn);
  console.log(drawn === readme ? 'README.md (chart unchanged)' : 'README.md (chart redrawn)');
}
