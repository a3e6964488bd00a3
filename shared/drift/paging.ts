import { createHash } from 'node:crypto';
import { MAX_DRIFTED_PER_RUN, REPORTED_LINKS } from './check.ts';
import type { DriftRole } from './roles.ts';

/**
 * How the drift flow cuts a fleet into pages (flows/drift.ts): `Discover` lists the managed links
 * of each region once and cuts them, in link-ID order, into ranges of at most DRIFT_PAGE_SIZE;
 * the `Pages` map checks one range per `CheckPage` invocation, one page after the other.
 *
 * Why 1,000 links a page, at the vendors' documented rates:
 * - a page re-lists its region from the tags (batched: ceil(N/50) ListVpcEndpoints, PrivateLink's
 *   page of 50, shared/aliyun/privatelink.ts; ceil(N/100) DescribeSecurityGroups, ECS's MaxResults
 *   ≤ 100, metadata), then reads each of its links four times: ListVpcEndpointZones (PrivateLink),
 *   DescribeSecurityGroupAttribute (ECS), DescribeZones by VPC and DescribeZoneRecords (PrivateZone);
 *   Zilliz: one endpoint list per project, and outside the published-layout regions one describe
 *   cluster per cluster of a link (shared/steps/cluster-hosts.ts).
 * - PrivateLink allows ListVpcEndpoints and ListVpcEndpointZones 1,000 calls per 60 s per account,
 *   region and API ("API rate quota", https://www.alibabacloud.com/help/en/privatelink/developer-reference/api-privatelink-2020-04-15-quota):
 *   16.7/s. ECS and PrivateZone publish their per-API rates only in Quota Center; the arithmetic
 *   takes each of their reads no faster than PrivateLink's. Zilliz allows 20 requests/s per API key
 *   and route; the client keeps to 18/s (shared/zilliz/client.ts).
 * - so a page of 1,000 links needs 1,000 ListVpcEndpointZones = 60 s, the three other reads going
 *   on beside it at the same rate; outside China 1,000 describe-cluster calls at 18/s = 56 s, beside
 *   them too. At 10,000 links its listing adds 200 ListVpcEndpoints (12 s; the security groups'
 *   100 calls run beside them): about 75 s a page, against the page function's FC timeout of 720 s
 *   (s.yaml `*step`), whose clients retry a throttled call until 60 s before it
 *   (shared/steps/invocation-budget.ts): a page uses about a ninth of its time at the documented
 *   rates and survives some nine minutes of throttling before the flow retries it.
 * - pages run one at a time (the map's MaxConcurrency 1): the rates are the account's, so parallel
 *   pages would only throttle each other.
 * The cost of re-listing: (N/50 + N/100) calls a page, 300 at 10,000 links (7% over the 4,000 reads).
 */
export const DRIFT_PAGE_SIZE = 1000;

/**
 * Pages checked per run: 20 × 1,000 = 20,000 links. Beyond that a run checks 20 pages, starting
 * at a page that turns with each run, and reports the rest as left (`linksLeft`, partial). Bounded
 * by what the `Pages` map hands `Summarize` (a page's summary with its listed links and its
 * remediation results: see pageItemBytes) within CloudFlow's 64 KiB per state, and by the events
 * below within its 5,000 per execution.
 */
export const MAX_PAGES_PER_RUN = 20;

/** Whose links a page checks: an account, as the deployment itself or through a role it takes on. */
export interface AccountScope {
  /** The account's ID (the deployment's own, or the role's). */
  account?: string;
  /** The role taken on to read that account; absent for the deployment's own. */
  role?: DriftRole;
  /** Why the account's links could not be listed (its role could not be taken on): its one page fails with this. */
  failed?: { code: string; message: string };
}

/** One page of one region and account: the range of link IDs it checks ([from, to), null = open) and its share of the run's windows. */
export interface DriftPage extends AccountScope {
  region: string;
  /** 1-based, in link-ID order, of `of` pages in the region and account. */
  page: number;
  of: number;
  from: string | null;
  to: string | null;
  /** Drifted links this page hands to announce (and remediate): its share of MAX_DRIFTED_PER_RUN. */
  window: number;
  /** Drifted links this page lists in the report: its share of REPORTED_LINKS. */
  listed: number;
  /** The run's time, the key of this run's turn (thisRunsTurn). */
  runAt: string;
  remediate: 'on' | 'off';
}

/** Plain code-unit order (not the locale's), so every invocation cuts the same ranges. */
export const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export const inPage = (page: Pick<DriftPage, 'from' | 'to'>, linkId: string) =>
  (page.from === null || linkId >= page.from) && (page.to === null || linkId < page.to);

export interface PagePlan {
  pages: DriftPage[];
  /** Pages (and their links) beyond MAX_PAGES_PER_RUN, left to the runs after this one. */
  pagesLeft: number;
  linksLeft: number;
}

/**
 * The run's pages over the sorted link IDs of each region and account. When there are more than
 * `maxPages`, the run takes `maxPages` consecutive ones (across regions and accounts, wrapping)
 * from an offset that turns with the run, so every page is reached across runs. An account whose
 * links could not be listed (`failed`) has one page, which fails with that cause.
 */
export function planPages(
  regions: ({ region: string; linkIds: string[] } & AccountScope)[],
  opts: { pageSize: number; runAt: string; remediate: 'on' | 'off'; maxPages?: number },
): PagePlan {
  const all: (Omit<DriftPage, 'window' | 'listed' | 'runAt' | 'remediate'> & { links: number })[] = [];
  for (const { region, linkIds, account, role, failed } of regions) {
    const scope = { ...(account ? { account } : {}), ...(role ? { role } : {}), ...(failed ? { failed } : {}) };
    const ids = [...linkIds].sort(byId);
    const of = failed ? 1 : Math.ceil(ids.length / opts.pageSize);
    for (let k = 0; k < of; k++) {
      const first = k * opts.pageSize;
      all.push({
        ...scope,
        region,
        page: k + 1,
        of,
        from: k === 0 ? null : ids[first]!,
        to: k === of - 1 ? null : ids[first + opts.pageSize]!,
        links: Math.min(opts.pageSize, ids.length - first),
      });
    }
  }
  const max = opts.maxPages ?? MAX_PAGES_PER_RUN;
  let chosen = all;
  if (all.length > max) {
    const start = Number.parseInt(createHash('sha256').update(opts.runAt).digest('hex').slice(0, 8), 16) % all.length;
    chosen = Array.from({ length: max }, (_, i) => all[(start + i) % all.length]!);
  }
  const shares = pageShares(chosen.length);
  const left = all.filter((p) => !chosen.includes(p));
  return {
    pages: chosen.map(({ links: _n, ...p }) => ({ ...p, ...shares, runAt: opts.runAt, remediate: opts.remediate })),
    pagesLeft: left.length,
    linksLeft: left.reduce((n, p) => n + p.links, 0),
  };
}

/**
 * Each page's share of the run's windows, so a run announces (and remediates) about
 * MAX_DRIFTED_PER_RUN drifted links and lists about REPORTED_LINKS, whatever its number of pages.
 * Every page takes its own turn each run (thisRunsTurn), so every drifted link is reached across runs.
 */
export function pageShares(pages: number): { window: number; listed: number } {
  const n = Math.max(1, pages);
  return { window: Math.ceil(MAX_DRIFTED_PER_RUN / n), listed: Math.ceil(REPORTED_LINKS / n) };
}

/**
 * History events of one drift execution, as the local engine writes them for flows/drift.yaml
 * (test/drift-pages.test.ts holds it to measured runs): two for the execution, five for each
 * Task (entered, scheduled, started, succeeded, exited), two for each other state, two for each
 * map iteration. Per page: the iteration, CheckPage, AnyDrift and PageChecked (11); with drifted
 * links to announce, Announce and RemediateWanted too (15) and 7 per announced link (iteration +
 * PutEvents task); with remediation on, the Remediate map ends the iteration in place of
 * PageChecked and adds 7 per link (iteration + Reprovision task).
 * A retried Task adds 3 per attempt (scheduled, started, failed).
 */
export function driftEvents(pages: { announced: number }[], remediate: boolean): number {
  const fixed = 2 + 5 + 2 + 5 + 2; // execution, Discover, Pages, Summarize, Done
  return (
    fixed +
    pages.reduce((n, p) => {
      if (p.announced === 0) return n + 11;
      return n + 15 + 7 * p.announced * (remediate ? 2 : 1);
    }, 0)
  );
}

/** The most events a run of `pages` pages can write, every page announcing (and remediating) its whole window. */
export function driftEventBound(pages: number, remediate = true): number {
  const { window } = pageShares(pages);
  return driftEvents(
    Array.from({ length: pages }, () => ({ announced: window })),
    remediate,
  );
}
