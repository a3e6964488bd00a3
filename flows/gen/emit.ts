/**
 * A small YAML writer for FDL, so the generated flows read as the hand-written ones did:
 * block mappings and lists, scalar lists in flow style (`Errors: [A, B]`), and comments.
 * A key starting with `#` is a comment line at that place (its value is ignored); as the first
 * key of a list item it is written above the item's `- `.
 * Not the `yaml` package's stringify: it quotes what it cannot write plainly, where this writer
 * refuses it, so a description can never turn a flow's expression into a quoted string unnoticed.
 */

export type Scalar = string | number | boolean | null;
export type Node = Scalar | Node[] | { [key: string]: Node };
export type Mapping = { [key: string]: Node };

/** A comment to spread into a mapping: `{ ...note('why'), Key: value }`. */
export const note = (text: string): Mapping => ({ [`# ${text}`]: null });

const isComment = (key: string) => key.startsWith('#');
const isMapping = (v: Node): v is Mapping => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Strings YAML would read as something else (numbers, booleans, null) are quoted; a string plain YAML cannot carry fails here. */
function scalar(v: Scalar): string {
  if (typeof v !== 'string') return String(v);
  if (/^(-?\d+(\.\d+)?|true|false|null|~|)$/i.test(v)) return JSON.stringify(v);
  if (/^[\s\-?:,[\]{}#&*!|>'"%@`]|: | #|\s$|\n/.test(v)) throw new Error(`flow-gen: cannot write ${JSON.stringify(v)} as a plain scalar`);
  return v;
}

function inline(v: Node): string | undefined {
  if (!Array.isArray(v) && !isMapping(v)) return scalar(v);
  if (Array.isArray(v) && v.every((x) => !Array.isArray(x) && !isMapping(x))) return `[${v.map((x) => scalar(x as Scalar)).join(', ')}]`;
  return undefined;
}

function mapping(m: Mapping, indent: string, out: string[], first = ''): void {
  let lead = first;
  for (const [key, value] of Object.entries(m)) {
    const pad = lead || indent;
    lead = '';
    if (isComment(key)) {
      out.push(`${indent}${key}`);
      continue;
    }
    const text = inline(value);
    if (text !== undefined) out.push(`${pad}${key}: ${text}`);
    else {
      out.push(`${pad}${key}:`);
      if (Array.isArray(value)) list(value, `${indent}  `, out);
      else mapping(value as Mapping, `${indent}  `, out);
    }
  }
}

function list(items: Node[], indent: string, out: string[]): void {
  for (const item of items) {
    if (!isMapping(item)) throw new Error('flow-gen: a block list holds mappings only');
    const entries = Object.entries(item);
    const comments = entries.filter(([k], i) => isComment(k) && entries.slice(0, i).every(([p]) => isComment(p)));
    for (const [k] of comments) out.push(`${indent}${k}`);
    mapping(Object.fromEntries(entries.slice(comments.length)), `${indent}  `, out, `${indent}- `);
  }
}

/** The document: header comment lines, then the top-level mapping, ending in a newline. */
export function emitYaml(header: readonly string[], doc: Mapping): string {
  const out = header.map((line) => `# ${line}`);
  mapping(doc, '', out);
  return `${out.join('\n')}\n`;
}
