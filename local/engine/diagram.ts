import type { Scope, State } from './fdl-schema.ts';

/**
 * A Mermaid flowchart of a flow, generated from its definition (the README's diagram comes
 * from here, and a test keeps them equal): tasks as boxes, choices as diamonds, waits as
 * stadiums, ends as circles; Catch routes dotted.
 */
const id = (name: string) => name.replace(/[^A-Za-z0-9_]/g, '_');
const label = (text: string) => `"${text.replace(/"/g, '#quot;')}"`;

function node(s: State): string {
  const n = id(s.Name);
  switch (s.Type) {
    case 'Choice':
      return `${n}{${label(s.Name)}}`;
    case 'Wait':
      return `${n}([${label(`${s.Name}: ${s.Seconds ? `${s.Seconds}s` : 'paced by the check'}`)}])`;
    case 'Succeed':
    case 'Fail':
      return `${n}((${label(s.Name)}))`;
    default:
      return `${n}[${label(s.Name)}]`;
  }
}

export function mermaid(flow: Scope): string {
  const lines = ['flowchart TD'];
  for (const s of flow.States) lines.push(`  ${node(s)}`);
  for (const s of flow.States) {
    const from = id(s.Name);
    if ('Next' in s && s.Next) lines.push(`  ${from} --> ${id(s.Next)}`);
    if (s.Type === 'Choice') {
      for (const b of s.Branches) lines.push(`  ${from} -- ${label(b.Condition.replace(/\$Input\./g, ''))} --> ${id(b.Next)}`);
      lines.push(`  ${from} -- otherwise --> ${id(s.Default)}`);
    }
    if ('Catch' in s && s.Catch) for (const c of s.Catch) lines.push(`  ${from} -. ${label(c.Errors.join(', '))} .-> ${id(c.Next)}`);
  }
  return lines.join('\n');
}
