import type { Command } from 'commander';
import * as z from '../../shared/zod.ts';
import { JSON_OUTPUTS, type JsonOutput } from '../json-output.ts';

/** `zpl schema`: the JSON Schema of a command's --json output (or of a saved plan), from the zod schema the tests hold it to. */
export function registerSchema(program: Command): void {
  const names = Object.keys(JSON_OUTPUTS);
  program
    .command('schema')
    .description(`print the JSON Schema of a --json output: ${names.join(', ')}`)
    .argument('[output]', `one of: ${names.map((n) => (n.includes(' ') ? `"${n}"` : n)).join(', ')} (default: all, by name)`)
    .action((name: string | undefined) => {
      const schema = (n: JsonOutput) => z.toJSONSchema(JSON_OUTPUTS[n], { unrepresentable: 'any' });
      if (name === undefined) {
        console.log(JSON.stringify(Object.fromEntries(names.map((n) => [n, schema(n as JsonOutput)])), null, 2));
        return;
      }
      if (!(name in JSON_OUTPUTS)) {
        console.error(`zpl: no JSON output named ${name}: use ${names.join(', ')}`);
        process.exit(2);
      }
      console.log(JSON.stringify(schema(name as JsonOutput), null, 2));
    });
}
