/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { STRINGS, type Strings } from '../strings.ts';
import type { Cause, ExecutionView, LinkView, Overview, RunRef } from '../views.ts';

/**
 * The status page in the browser: renders the page's JSON (/page/data/…) and polls it, so a
 * link's state and an execution's chart move as the runs do. Text is set as text (never parsed
 * as HTML); the only markup taken in is the flow chart, the origin's own SVG.
 */

const t: Strings = STRINGS[document.documentElement.lang === 'zh' ? 'zh' : 'en'];
const OVERVIEW_POLL_MS = 3000;
const EXECUTION_POLL_MS = 1500;
const FINISHED = new Set(['Succeeded', 'Failed', 'Stopped', 'TimedOut']);

type Child = Node | string | undefined | false;
function h(tag: string, attrs: Record<string, string> = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  for (const c of children) if (c !== undefined && c !== false) el.append(c);
  return el;
}

const duration = (ms: number) => {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
};
const when = (iso: string | undefined) => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC') : '');
const section = (id: string, title: string, ...content: Child[]) => h('section', { id }, h('h2', {}, title), ...content);
const row = (attrs: Record<string, string>, ...cells: Child[]) => h('tr', attrs, ...cells.map((c) => h('td', {}, c)));
const badge = (cls: string, text: string) => h('span', { class: `badge ${cls}` }, text);
const runLink = (r: RunRef) => h('a', { href: `#/executions/${r.flow}/${r.name}`, class: 'mono' }, r.name);
const causeText = (c: Cause) => `${c.step ? `${c.step}: ` : ''}${c.code}${c.message ? ` — ${c.message}` : ''}`;

async function getJson<T>(path: string): Promise<T> {
  const r = await fetch(path, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
  if (r.status === 401) {
    location.assign('/page/login');
    throw new Error('signed out');
  }
  if (!r.ok)
    throw new Error(`${r.status} ${((await r.json().catch(() => ({}))) as { error?: { message?: string } }).error?.message ?? ''}`);
  return (await r.json()) as T;
}

function table(headings: string[], rows: HTMLElement[], empty: string): HTMLElement {
  if (!rows.length) return h('p', { class: 'muted' }, empty);
  return h('table', {}, h('thead', {}, h('tr', {}, ...headings.map((x) => h('th', {}, x)))), h('tbody', {}, ...rows));
}

function linkRow(l: LinkView): HTMLElement {
  const resources = h(
    'td',
    { class: 'resources' },
    l.endpoint &&
      h(
        'div',
        {},
        `${t.endpoint} `,
        h('code', {}, l.endpoint.id),
        l.endpoint.domain ? h('div', { class: 'mono muted' }, l.endpoint.domain) : undefined,
      ),
    l.endpoint &&
      l.endpoint.zones.length > 0 &&
      h('div', { class: 'muted' }, l.endpoint.zones.map((z) => `${z.zoneId} ${z.ip}`).join(', ')),
    l.securityGroupId && h('div', {}, `${t.securityGroup} `, h('code', {}, l.securityGroupId)),
    l.dnsZoneId && h('div', {}, `${t.zone} `, h('code', {}, l.dnsZoneId)),
    ...l.records.map((r) => h('div', {}, `${t.records} `, h('code', {}, r.host))),
  );
  const notes = h(
    'td',
    {},
    l.cause && h('div', { class: 'cause' }, causeText(l.cause)),
    ...(l.findings ?? []).map((f) => h('div', { class: 'finding' }, h('code', {}, f.kind), ` ${f.detail}`)),
  );
  return h(
    'tr',
    { 'data-link': l.linkId },
    h('td', {}, h('code', {}, l.linkId)),
    h('td', {}, badge(l.state, t[`state.${l.state}`])),
    h('td', {}, [l.projectId, l.region, l.vpcId].filter(Boolean).join(' · '), h('div', { class: 'muted mono' }, l.clusters.join(', '))),
    resources,
    h(
      'td',
      {},
      runLink(l.lastRun),
      ' ',
      badge(l.lastRun.status, l.lastRun.status),
      h('div', { class: 'muted' }, when(l.lastRun.startedTime)),
    ),
    notes,
  );
}

function renderOverview(o: Overview): HTMLElement {
  const drift = o.drift;
  return h(
    'div',
    {},
    h(
      'section',
      { id: 'links' },
      h('h2', {}, t.links),
      table([t.link, t.state, t.where, t.resources, t.lastRun, t.cause], o.links.map(linkRow), t.noLinks),
    ),
    h(
      'section',
      { id: 'drift' },
      h('h2', {}, t.drift),
      drift
        ? h(
            'div',
            {},
            h(
              'p',
              {},
              runLink(drift.run),
              ` ${when(drift.checkedAt)} — ${drift.checked ?? 0} ${t.checked}, ${drift.drifted ?? 0} ${t.drifted}`,
            ),
            table(
              [t.link, 'VPC', t.detail],
              drift.links.map((l) =>
                h(
                  'tr',
                  { 'data-link': l.linkId },
                  h('td', {}, h('code', {}, l.linkId)),
                  h('td', {}, h('code', {}, l.vpcId)),
                  h('td', {}, ...l.findings.map((f) => h('div', { class: 'finding' }, h('code', {}, f.kind), ` ${f.detail}`))),
                ),
              ),
              t.clean,
            ),
          )
        : h('p', { class: 'muted' }, t.noDrift),
    ),
    section(
      'tickets',
      t.tickets,
      table(
        [t.ticket, t.outcome, t.execution, t.cause],
        o.tickets.map((k) =>
          row(
            { 'data-ticket': k.ticketId },
            h('code', {}, k.ticketId),
            badge(k.outcome, t[`outcome.${k.outcome}`]),
            runLink(k.run),
            k.cause && h('span', { class: 'cause' }, causeText(k.cause)),
          ),
        ),
        t.noTickets,
      ),
    ),
    section(
      'executions',
      t.executions,
      table(
        [t.execution, t.flow, t.status, t.started],
        o.executions.map((r) => row({}, runLink(r), r.flow, badge(r.status, r.status), h('span', { class: 'muted' }, when(r.startedTime)))),
        '',
      ),
    ),
  );
}

const charts = new Map<string, Promise<SVGSVGElement>>();
function chart(flow: string): Promise<SVGSVGElement> {
  let found = charts.get(flow);
  if (!found) {
    found = fetch(`/page/assets/flows/${flow}.svg`)
      .then((r) => r.text())
      .then(
        (text) =>
          document.importNode(new DOMParser().parseFromString(text, 'image/svg+xml').documentElement, true) as unknown as SVGSVGElement,
      );
    charts.set(flow, found);
  }
  return found;
}

async function renderExecution(v: ExecutionView): Promise<HTMLElement> {
  const svg = await chart(v.run.flow);
  const visited = new Set(v.visited);
  const active = new Set(v.active);
  for (const g of svg.querySelectorAll<SVGGElement>('g.state')) {
    const name = g.dataset.state ?? '';
    g.classList.toggle('visited', visited.has(name));
    g.classList.toggle('active', active.has(name));
    g.classList.toggle('failed', name === v.failedState);
  }
  return h(
    'section',
    { id: 'execution', 'data-status': v.run.status },
    h('p', {}, h('a', { href: '#' }, `← ${t.back}`)),
    h('h2', {}, `${t.execution} `, h('code', {}, v.run.name), ' ', badge(v.run.status, v.run.status)),
    h(
      'p',
      { class: 'muted' },
      `${t.flow} ${v.run.flow} · ${t.started} ${when(v.run.startedTime)}`,
      v.linkId ? ` · ${t.link} ${v.linkId}` : '',
    ),
    v.cause && h('div', { class: 'cause-box' }, h('strong', {}, `${t.cause}: `), h('span', { class: 'cause' }, causeText(v.cause))),
    h(
      'div',
      { class: 'execution' },
      h('div', { class: 'chart' }, svg),
      table(
        [t.step, t.status, t.took, t.detail],
        v.states.map((s) =>
          h(
            'tr',
            { 'data-state': s.state },
            h('td', {}, s.state, s.visits > 1 ? h('span', { class: 'muted' }, ` ×${s.visits}`) : undefined),
            h('td', {}, badge(s.status === 'done' ? 'succeeded' : s.status === 'failed' ? 'failed' : 'pending', s.status)),
            h('td', { class: 'mono' }, duration(s.elapsedMs)),
            h('td', { class: 'muted' }, s.text ?? ''),
          ),
        ),
        '',
      ),
    ),
  );
}

const app = document.getElementById('app')!;
let timer: ReturnType<typeof setTimeout> | undefined;
let generation = 0;

async function show() {
  clearTimeout(timer);
  const mine = ++generation;
  const route = /^#\/executions\/([\w-]+)\/([\w-]+)$/.exec(location.hash);
  try {
    let next: HTMLElement;
    let again = OVERVIEW_POLL_MS;
    if (route) {
      const view = await getJson<ExecutionView>(`/page/data/executions/${route[1]}/${route[2]}`);
      next = await renderExecution(view);
      again = FINISHED.has(view.run.status) ? 0 : EXECUTION_POLL_MS;
    } else next = renderOverview(await getJson<Overview>('/page/data/overview'));
    if (mine !== generation) return;
    app.replaceChildren(next, h('p', { class: 'muted', id: 'updated' }, `${t.updated} ${new Date().toLocaleTimeString()}`));
    if (again) timer = setTimeout(show, again);
  } catch (e) {
    if (mine !== generation) return;
    app.replaceChildren(h('p', { class: 'error' }, `${t.error} ${e instanceof Error ? e.message : String(e)}`));
    timer = setTimeout(show, OVERVIEW_POLL_MS);
  }
}

addEventListener('hashchange', () => void show());
void show();
