import { describe, expect, it } from 'vitest';
import { measureDrift } from '../bench/drift-scale.ts';
import { bulkSeed, BULK_DRIFT_KIND, type BulkSeeded } from '../local/emulators/bulk-seed.ts';
import type { Emulators } from '../local/emulators/index.ts';
import { EVENT_LIMIT, STATE_DATA_LIMIT } from '../local/engine/run.ts';
import { boundedFindings, REPORTED_LINKS } from '../shared/drift/check.ts';
import { driftSummary, type PageOutcome } from '../shared/drift/handlers.ts';
import { DRIFT_PAGE_SIZE, driftEventBound, driftEvents, MAX_PAGES_PER_RUN, pageShares, planPages } from '../shared/drift/paging.ts';
import type { DriftKind, LinkDrift } from '../shared/drift/types.ts';

/**
 * The drift flow pages through the fleet (shared/drift/paging.ts) on the local engine: several
 * pages through the real flow, every seeded drift found, one failed page retried then counted and
 * named while the check goes on, and the event and state bounds that hold at 10,000 links (the
 * bench measures the real 10,000: `npm run bench`).
 */

const seed = (count: number, driftEvery: number) => {
  let seeded: BulkSeeded | undefined;
  return {
    before: (emu: Emulators) => {
      const r = bulkSeed(emu.world, { count, driftEvery });
      if ('error' in r) throw new Error(r.error);
      seeded = r;
    },
    seeded: () => seeded!,
  };
};

describe('the drift flow, a page at a time', () => {
  it('300 links in pages of 50: six pages, every seeded drift found and announced, events and state small', async () => {
    const s = seed(300, 30);
    const r = await measureDrift(0, { pageSize: 50, before: s.before });
    expect(r.status).toBe('Succeeded');
    const seeded = s.seeded();
    expect(seeded.drifted.linkIds).toHaveLength(10);
    expect(r.report).toMatchObject({
      checked: 300,
      managed: 300,
      pageSize: 50,
      pages: 6,
      pagesFailed: 0,
      failures: [],
      drifted: 10,
      deferred: 0,
      linksLeft: 0,
      partial: false,
    });
    // Every seeded drift is announced, for its reason, once.
    expect(r.announced.map((e) => e.subject).sort()).toEqual([...seeded.drifted.linkIds].sort());
    for (const e of r.announced)
      expect((e.data as { findings: { kind: DriftKind }[] }).findings.map((f) => f.kind)).toEqual([BULK_DRIFT_KIND]);
    // Each of the six pages lists up to its share (2) of the report's 10.
    expect(r.report!.links.length).toBeGreaterThanOrEqual(6);
    expect(r.report!.links.length).toBeLessThanOrEqual(REPORTED_LINKS);
    expect(new Set(r.report!.links.map((l) => l.linkId)).size).toBe(r.report!.links.length);
    for (const l of r.report!.links) expect(seeded.drifted.linkIds).toContain(l.linkId);
    // Each page checked once: six CheckPage invocations, one Discover, one Summarize.
    expect(r.handledPerPage).toHaveLength(6);
    expect(r.fc.invocations).toBe(8);
    // The per-page event cost, exactly as shared/drift/paging.ts counts it.
    expect(r.events).toBe(
      driftEvents(
        r.handledPerPage.map((announced) => ({ announced })),
        false,
      ),
    );
    expect(r.events).toBeLessThan(EVENT_LIMIT / 10);
    expect(r.largestStateBytes).toBeLessThan(STATE_DATA_LIMIT / 8);
    expect(r.report!.calls).toBe(r.calls);
  }, 120_000);

  it('with remediation on, each handed link is announced and its provision flow started, events as counted', async () => {
    const s = seed(60, 20);
    const r = await measureDrift(0, { pageSize: 20, remediate: true, before: s.before });
    expect(r.status).toBe('Succeeded');
    expect(r.report).toMatchObject({ checked: 60, pages: 3, drifted: 3, deferred: 0, pagesFailed: 0 });
    expect(r.announced.map((e) => e.subject).sort()).toEqual([...s.seeded().drifted.linkIds].sort());
    expect(r.events).toBe(
      driftEvents(
        r.handledPerPage.map((announced) => ({ announced })),
        true,
      ),
    );
  }, 120_000);

  it('one page whose calls fail is retried, then counted and named; the check goes on with the others', async () => {
    const s = seed(300, 30);
    const r = await measureDrift(0, {
      pageSize: 50,
      before: s.before,
      // While the third page runs (its first try and the flow's two retries), every read of an
      // endpoint's zones is refused with an error the clients do not retry (HTTP 403).
      engine: (engine, emu) =>
        engine.onEvent((_rec, e) => {
          if (e.StepName !== 'Pages' || JSON.parse(e.EventDetail).index !== 2) return;
          if (e.Type === 'IterationEntered')
            emu.faults.add({ target: 'ListVpcEndpointZones', kind: 'error', code: 'Forbidden.RAM', httpStatus: 403, message: 'injected' });
          if (e.Type === 'IterationExited') emu.faults.clear();
        }),
    });
    expect(r.status).toBe('Succeeded');
    expect(r.report).toMatchObject({
      pages: 6,
      pagesFailed: 1,
      checked: 250,
      managed: 300,
      partial: true,
      failures: [
        { region: 'cn-hangzhou', page: 3, of: 6, code: 'FC.UnhandledInvocationError', message: expect.stringContaining('Forbidden.RAM') },
      ],
    });
    // The failed page was tried three times (the flow's Retry), the five others once.
    expect(r.handledPerPage).toHaveLength(5);
    expect(r.fc.invocations).toBe(1 + 5 + 3 + 1);
    // Drift in the other pages is still found and announced.
    expect(r.report!.drifted).toBeGreaterThan(0);
    expect(r.announced).toHaveLength(r.report!.drifted - r.report!.deferred);
    for (const e of r.announced) expect(s.seeded().drifted.linkIds).toContain(e.subject);
  }, 120_000);
});

describe('the bounds at 10,000 links and beyond', () => {
  const worstFinding = (i: number) => ({ kind: 'sg.rule_widened' as DriftKind, detail: `${'x'.repeat(400)}${i}` });
  const worstLink = (i: number): LinkDrift => ({
    linkId: `zpl-${String(i).padStart(12, '0')}`,
    region: 'cn-hangzhou',
    // Each link names its account (a check may cover several: the input's roles).
    account: '2234567890123456',
    vpcId: `vpc-bp1bulk${String(i).padStart(13, '0')}`,
    projectId: 'proj-4a1b2c3d4e5f6a7b8c9d',
    endpointId: `ep-bp1${String(i).padStart(16, '0')}`,
    clean: false,
    findings: Array.from({ length: 5 }, (_, k) => worstFinding(k)),
    moreFindings: 9,
  });

  it('10,000 links are 10 pages; the events of the busiest possible run stay far under 5,000', () => {
    const pages = Math.ceil(10_000 / DRIFT_PAGE_SIZE);
    expect(pages).toBe(10);
    expect(pages).toBeLessThanOrEqual(MAX_PAGES_PER_RUN);
    // Every page announcing and remediating its whole window (ceil(25/10) = 3 links).
    expect(pageShares(pages).window).toBe(3);
    expect(driftEventBound(pages)).toBe(16 + 10 * (15 + 14 * 3));
    for (let p = 1; p <= MAX_PAGES_PER_RUN; p++) expect(driftEventBound(p), `${p} pages`).toBeLessThan(EVENT_LIMIT / 4);
  });

  it('beyond 20 pages a run checks 20, starting where its turn says, and every page is reached across runs', () => {
    const ids = Array.from({ length: 25 * 4 }, (_, i) => `zpl-${i.toString(16).padStart(12, '0')}`);
    const reached = new Set<string>();
    for (let run = 0; run < 6; run++) {
      const plan = planPages([{ region: 'cn-hangzhou', linkIds: ids }], {
        pageSize: 4,
        runAt: new Date(Date.UTC(2026, 0, 1, run * 6)).toISOString(),
        remediate: 'off',
      });
      expect(plan.pages).toHaveLength(MAX_PAGES_PER_RUN);
      expect(plan).toMatchObject({ pagesLeft: 5, linksLeft: 20 });
      for (const p of plan.pages) reached.add(`${p.page}`);
    }
    expect(reached.size).toBe(25);
  });

  it("what the pages hand Summarize stays under CloudFlow's 64 KiB at its worst, 20 pages of 1,000", () => {
    // Twenty pages, each with its listed links, its summary and its remediation results.
    const { window, listed } = pageShares(MAX_PAGES_PER_RUN);
    const pages: PageOutcome[] = Array.from({ length: MAX_PAGES_PER_RUN }, (_, p) => ({
      summary: {
        region: 'cn-hangzhou',
        account: '2234567890123456',
        page: p + 1,
        of: MAX_PAGES_PER_RUN,
        checked: DRIFT_PAGE_SIZE,
        drifted: DRIFT_PAGE_SIZE,
        handled: window,
        calls: 99_999,
        links: Array.from({ length: listed }, (_, i) => boundedFindings(worstLink(p * 10 + i))),
      },
      remediation: Array.from({ length: window }, (_, i) => ({
        result: { linkId: worstLink(i).linkId, skipped: 'y'.repeat(200) },
      })),
    }));
    const plan = {
      checkedAt: new Date(0).toISOString(),
      regions: ['cn-hangzhou'],
      links: 20_000,
      pageSize: DRIFT_PAGE_SIZE,
      pages: MAX_PAGES_PER_RUN,
      pagesLeft: 0,
      linksLeft: 0,
      remediate: 'on' as const,
      calls: 300,
    };
    const bytes = Buffer.byteLength(JSON.stringify({ plan, pages }));
    expect(bytes).toBeLessThan(STATE_DATA_LIMIT * 0.75);
    const { report } = driftSummary({ plan, pages });
    expect(report.links).toHaveLength(REPORTED_LINKS);
    expect(Buffer.byteLength(JSON.stringify(report))).toBeLessThan(STATE_DATA_LIMIT / 4);
  });
});
