import type { Scope, State } from '../../local/engine/fdl-schema.ts';

/**
 * A flow's chart as SVG, drawn from its definition (the same flows/*.yaml CloudFlow runs), for
 * the page to highlight the states an execution is in: no script, no style element or attribute
 * (the page's CSP allows neither), only classes the page's stylesheet colours, and each state a
 * `<g data-state="Name">`. The layout is layered: a state sits one row below the furthest state
 * leading to it, a Wait to the right of the way on; loops back (a Wait returning to its check) go up on the right, edges skipping
 * rows (the failure paths to Report) run down a rail on the left.
 */

type EdgeKind = 'next' | 'choice' | 'catch';
interface Edge {
  from: string;
  to: string;
  kind: EdgeKind;
}

const NODE_W = 176;
const NODE_H = 30;
const ROW = 48;
const COL = 206;
const LEFT = 36;
const TOP = 16;

function edgesOf(s: State): Edge[] {
  const out: Edge[] = [];
  if ('Next' in s && s.Next) out.push({ from: s.Name, to: s.Next, kind: 'next' });
  if (s.Type === 'Choice') {
    for (const b of s.Branches) out.push({ from: s.Name, to: b.Next, kind: 'choice' });
    out.push({ from: s.Name, to: s.Default, kind: 'choice' });
  }
  if ('Catch' in s && s.Catch) for (const c of s.Catch) out.push({ from: s.Name, to: c.Next, kind: 'catch' });
  return out;
}

/** Edges that close a loop (found depth-first from StartAt), so the rest can be layered. */
function backEdges(flow: Scope, edges: Edge[]): Set<Edge> {
  const back = new Set<Edge>();
  const state = new Map<string, 'open' | 'done'>();
  const visit = (name: string) => {
    state.set(name, 'open');
    for (const e of edges.filter((x) => x.from === name)) {
      if (state.get(e.to) === 'open') back.add(e);
      else if (!state.has(e.to)) visit(e.to);
    }
    state.set(name, 'done');
  };
  visit(flow.StartAt);
  return back;
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function shape(s: State, x: number, y: number): string {
  const cx = x + NODE_W / 2;
  const cy = y + NODE_H / 2;
  switch (s.Type) {
    case 'Choice':
      return `<polygon class="shape" points="${x + 14},${cy} ${x + 28},${y + 3} ${x + NODE_W - 28},${y + 3} ${x + NODE_W - 14},${cy} ${x + NODE_W - 28},${y + NODE_H - 3} ${x + 28},${y + NODE_H - 3}"/>`;
    case 'Wait':
      return `<rect class="shape" x="${x + 8}" y="${y + 2}" width="${NODE_W - 16}" height="${NODE_H - 4}" rx="${(NODE_H - 4) / 2}"/>`;
    case 'Succeed':
    case 'Fail':
      return `<rect class="shape" x="${cx - 50}" y="${y}" width="100" height="${NODE_H}" rx="${NODE_H / 2}"/>`;
    default:
      return `<rect class="shape" x="${x}" y="${y}" width="${NODE_W}" height="${NODE_H}" rx="6"/>`;
  }
}

export function flowSvg(flow: Scope, title: string): string {
  const states = flow.States;
  const order = new Map(states.map((s, i) => [s.Name, i]));
  const edges = states.flatMap(edgesOf);
  const back = backEdges(flow, edges);
  // Longest-path layering over the edges that do not loop back.
  const row = new Map<string, number>(states.map((s) => [s.Name, 0]));
  for (let changed = true, rounds = 0; changed && rounds <= states.length; rounds++) {
    changed = false;
    for (const e of edges)
      if (!back.has(e) && row.get(e.to)! < row.get(e.from)! + 1) {
        row.set(e.to, row.get(e.from)! + 1);
        changed = true;
      }
  }
  // In a row, the way on comes first and a Wait (the loop's detour) to its right.
  const rank = (s: State) => (s.Type === 'Wait' ? states.length : 0) + order.get(s.Name)!;
  const rows = new Map<number, string[]>();
  for (const s of [...states].sort((a, b) => rank(a) - rank(b))) {
    const r = row.get(s.Name)!;
    rows.set(r, [...(rows.get(r) ?? []), s.Name]);
  }
  const col = new Map<string, number>();
  for (const names of rows.values()) names.forEach((n, i) => col.set(n, i));
  const cols = Math.max(...[...rows.values()].map((n) => n.length));
  const x = (n: string) => LEFT + col.get(n)! * COL;
  const y = (n: string) => TOP + row.get(n)! * ROW;
  const width = LEFT + cols * COL + 24;
  const height = TOP + (Math.max(...row.values()) + 1) * ROW;
  const rail = { left: 14, right: LEFT + cols * COL - 12 };

  const paths = edges.map((e) => {
    const [sx, sy, tx, ty] = [x(e.from), y(e.from), x(e.to), y(e.to)];
    let d: string;
    if (back.has(e)) d = `M${sx + NODE_W},${sy + NODE_H / 2} H${rail.right} V${ty + NODE_H / 2} H${tx + NODE_W + 2}`;
    else if (row.get(e.to)! - row.get(e.from)! === 1) d = `M${sx + NODE_W / 2},${sy + NODE_H} L${tx + NODE_W / 2},${ty - 2}`;
    else d = `M${sx},${sy + NODE_H / 2} H${rail.left} V${ty + NODE_H / 2} H${tx - 2}`;
    return `<path class="edge edge-${e.kind}" d="${d}" marker-end="url(#arrow)"/>`;
  });
  const nodes = states.map((s) => {
    const [nx, ny] = [x(s.Name), y(s.Name)];
    return (
      `<g class="state state-${s.Type.toLowerCase()}" data-state="${escape(s.Name)}"><title>${escape(`${s.Name} (${s.Type})`)}</title>` +
      `${shape(s, nx, ny)}<text class="label" x="${nx + NODE_W / 2}" y="${ny + NODE_H / 2 + 4}" text-anchor="middle">${escape(s.Name)}</text></g>`
    );
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="flow-chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escape(title)}">`,
    `<defs><marker id="arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path class="arrow-head" d="M0,0 L8,4 L0,8 z"/></marker></defs>`,
    ...paths,
    ...nodes,
    '</svg>',
    '',
  ].join('\n');
}
