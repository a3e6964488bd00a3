import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { parseLinkSpec, type SpecResult } from '../shared/spec.ts';

/** Reads a link spec from YAML or JSON; problems come back as field errors, never a stack trace. */
export function readSpecFile(path: string): SpecResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    return {
      ok: false,
      errors: [{ field: '', message: `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` }],
    };
  }
  let data: unknown;
  try {
    data = parse(text, { prettyErrors: true });
  } catch (e) {
    return { ok: false, errors: [{ field: '', message: `${path} is not valid YAML: ${(e as Error).message.split('\n')[0]}` }] };
  }
  return parseLinkSpec(data);
}
