import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { checkFlow, formatProblem } from '../../local/engine/fdl-check.ts';
import { mermaid } from '../../local/engine/diagram.ts';

/** `zpl diagram`: a flow as a Mermaid chart (the README's provision chart); exit 2 when invalid or unreadable. */
export function registerDiagram(program: Command): void {
  program
    .command('diagram')
    .description('print a flow as a Mermaid flowchart (the README shows the provision flow this way)')
    .argument('[file]', 'flow YAML', 'flows/provision.yaml')
    .action((file: string) => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        console.error(`zpl: cannot read the flow file ${file}: ${code === 'ENOENT' ? 'no such file' : (code ?? (e as Error).message)}`);
        process.exit(2);
      }
      const r = checkFlow(text, file);
      if (!r.ok) {
        for (const p of r.problems) console.error(formatProblem(p));
        process.exit(2);
      }
      console.log(mermaid(r.flow));
    });
}
