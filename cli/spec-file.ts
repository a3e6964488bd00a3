import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { parseLinkSpec, type SpecResult } from '../shared/spec.ts';

/**
 * A link spec file read: the spec, or why not. A file that cannot be read or is not YAML is
 * said to be so (`unreadable`, its one error naming no field); a spec with wrong fields lists
 * them. Never a stack trace.
 */
export type SpecFileResult = SpecResult | (Extract<SpecResult, { ok: false }> & { unreadable: true });

const READ_ERRORS: Record<string, string> = {
  ENOENT: 'no such file',
  EISDIR: 'a directory, not a spec file',
  EACCES: 'permission denied',
};

const unreadable = (message: string): SpecFileResult => ({ ok: false, unreadable: true, errors: [{ field: '', message }] });

export function readSpecFile(path: string): SpecFileResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return unreadable(`cannot read ${path}: ${code ? `${code} (${READ_ERRORS[code] ?? (e as Error).message})` : (e as Error).message}`);
  }
  // Every syntax error, each whole: the message, its line and column, and the lines around it.
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length) {
    const messages = doc.errors.map((e) => {
      const at = e.linePos?.[0];
      return `${path}${at ? `:${at.line}:${at.col}` : ''}: ${e.message.trimEnd()}`;
    });
    return unreadable(`${path} is not valid YAML:\n${messages.join('\n')}`);
  }
  return parseLinkSpec(doc.toJS());
}

/** The lines telling a user why a spec file was refused. */
export function specFileProblems(path: string, result: Extract<SpecFileResult, { ok: false }>): string[] {
  if ('unreadable' in result) return result.errors.map((e) => `zpl: ${e.message}`);
  return [`${path}: invalid link spec`, ...result.errors.map((e) => `  - ${e.field || '(spec)'}: ${e.message}`)];
}
