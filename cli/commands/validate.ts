import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { checkFlow, countStates, formatProblem } from '../../local/engine/fdl-check.ts';
import { jsonOption } from '../options.ts';

/** `zpl validate`: flow definitions checked as CloudFlow would; exit 2 with every problem. */
export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check CloudFlow flow definitions (FDL) as CloudFlow would, without deploying them')
    .argument('<files...>', 'flow YAML files, e.g. flows/*.yaml')
    .addOption(jsonOption())
    .action((files: string[], opts: { json?: boolean }) => {
      const results = files.map((file) => {
        if (!existsSync(file)) return { file, ok: false, problems: [{ file, path: '', message: 'no such file' }] };
        const r = checkFlow(readFileSync(file, 'utf8'), file);
        return r.ok ? { file, ok: true, states: countStates(r.flow), problems: [] } : { file, ok: false, problems: r.problems };
      });
      if (opts.json) console.log(JSON.stringify(results, null, 2));
      else
        for (const r of results) {
          if (r.ok) console.log(`${r.file}: valid (${r.states} states)`);
          else for (const p of r.problems) console.error(formatProblem(p));
        }
      process.exitCode = results.every((r) => r.ok) ? 0 : 2;
    });
}
