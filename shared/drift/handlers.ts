import * as z from 'zod/mini';
import type { CloudFlowApi } from '../aliyun/cloudflow.ts';
import { isAliyunError } from '../aliyun/errors.ts';
import { PROVISION_FLOW } from '../flow-names.ts';
import { SpecDiffersError } from '../link-joins.ts';
import { LinkBusyError, startLinkRun } from '../link-runs.ts';
import type { Logger } from '../log.ts';
import { pool, READS_AT_ONCE } from '../pool.ts';
import { assumeRoleSchema, type LinkSpec } from '../spec.ts';
import { StepFailure, type StepDeps } from '../steps/types.ts';
import { boundedFindings, checkLinks, registeredEndpoints, REPORTED_LINKS, thisRunsTurn } from './check.ts';
import { discoverLinks } from './discover.ts';
import { DRIFT_PAGE_SIZE, inPage, planPages, type AccountScope, type DriftPage } from './paging.ts';
import { MAX_DRIFT_ROLES, roleAccount, type DriftRole } from './roles.ts';
import { specFromLink } from './spec-from-link.ts';
import type { DriftReport, Finding, LinkDrift, PageFailure } from './types.ts';

/**
 * The drift flow's functions (flows/drift.ts): `Discover` plans the pages, `CheckPage` checks one,
 * `Summarize` adds the pages up into the report; `remediate` re-runs provisioning for a drifted link.
 */

/** The flow's input as its starters give it (the timer, the API, `zpl drift`); other fields (`source`) are ignored. */
export const driftInputSchema = z.object({
  regions: z.optional(z.array(z.string().check(z.minLength(1)))),
  remediate: z.optional(z.boolean()),
  /** Links per page; at most DRIFT_PAGE_SIZE, the size the page arithmetic is done for (shared/drift/paging.ts). */
  pageSize: z.optional(z.int().check(z.minimum(1), z.maximum(DRIFT_PAGE_SIZE))),
  /** Other accounts to check besides the deployment's own, each through a role it may take on (ZPL_ASSUME_ROLES, as for a link's `assumeRole`). */
  roles: z.optional(z.array(assumeRoleSchema).check(z.maxLength(MAX_DRIFT_ROLES))),
});
export type DriftCheckInput = z.infer<typeof driftInputSchema>;

export interface DriftedLink {
  linkId: string;
  vpcId: string;
  region: string;
  /** The account the link is in. */
  account?: string;
  findings: Finding[];
  /** The spec read back for remediation; absent when too little was recorded. */
  spec?: LinkSpec;
}

/** What the run knows before its pages: carried beside them to `Summarize`. */
export interface DriftPlan {
  checkedAt: string;
  regions: string[];
  /** The accounts checked, the deployment's own first; only when the input names roles. */
  accounts?: string[];
  /** Managed links found. */
  links: number;
  pageSize: number;
  /** Pages this run checks. */
  pages: number;
  pagesLeft: number;
  linksLeft: number;
  remediate: 'on' | 'off';
  /** API calls of the planning itself. */
  calls: number;
}

/** What a page hands the rest of its iteration; only `summary` (and remediation results) leave it. */
export interface PageSummary {
  region: string;
  page: number;
  of: number;
  account?: string;
  checked: number;
  drifted: number;
  /** Drifted links handed to announce (and remediate): at most the page's window. */
  handled: number;
  calls: number;
  /** The page's first drifted links in this run's turn, at most its `listed` share, bounded. */
  links: LinkDrift[];
}

/** The counts and names of API calls a step's clients made (their `aliyun.call`/`zilliz.call` log lines, errors included). */
export function countingLogger(log: Logger): { log: Logger; calls: () => number } {
  let n = 0;
  const counted = new Set(['aliyun.call', 'aliyun.error', 'zilliz.call', 'zilliz.error']);
  const wrap = (inner: Logger): Logger => ({
    info: (e, f) => {
      if (counted.has(e)) n++;
      inner.info(e, f);
    },
    warn: (e, f) => {
      if (counted.has(e)) n++;
      inner.warn(e, f);
    },
    error: (e, f) => inner.error(e, f),
    child: (fields) => wrap(inner.child(fields)),
  });
  return { log: wrap(log), calls: () => n };
}

/** Where a drift check runs and how it reads an account: as the deployment itself, or as a role. */
export interface DriftAccess {
  /** The deployment's own region (the default) and account. */
  home: { region: string; account: string };
  /** A region's clients, as the deployment or, with `role`, as that role. */
  deps(region: string, role?: DriftRole): Promise<StepDeps>;
  /** Refuses a role the deployment may not take on (AssumeRole.NotAllowed, shared/steps/run-as.ts). */
  admit(roles: DriftRole[]): Promise<void>;
}

/** A cause as the report gives it: the provider's or our code, and the message. */
const causeOf = (e: unknown) => ({
  code: e instanceof StepFailure || isAliyunError(e) ? e.code : e instanceof Error ? e.name : 'Error',
  message: cut(e instanceof Error ? e.message : String(e)),
});

/**
 * `Discover`: every managed link of each region and account, found from the tags zpl wrote (two
 * batched lists a region and account), cut into pages (shared/drift/paging.ts). State stays
 * O(pages): each page is a range of link IDs, not a list of links. A role the deployment may not
 * take on refuses the run before any call; an account whose role cannot be taken on gets one page
 * that fails with the cause, and the run goes on.
 */
export async function driftDiscover(
  raw: unknown,
  access: DriftAccess,
  calls: () => number = () => 0,
): Promise<{ plan: DriftPlan; pages: DriftPage[] }> {
  const parsed = driftInputSchema.safeParse(raw);
  if (!parsed.success)
    throw new Error(`the drift input is not {regions?, remediate?, pageSize?, roles?}: ${z.prettifyError(parsed.error)}`);
  const input = parsed.data;
  const regions = input.regions?.length ? [...new Set(input.regions)] : [access.home.region];
  const named = input.roles ?? [];
  const pageSize = input.pageSize ?? DRIFT_PAGE_SIZE;
  const remediate = input.remediate === true ? 'on' : 'off';
  await access.admit(named).catch((e: unknown) => {
    // Thrown, the run fails with FC's error, whose message is all that is kept: it names the code.
    throw e instanceof StepFailure ? new Error(`${e.code}: ${e.message}`) : e;
  });
  // One role an account (the first named), none in the deployment's own: each account's links are listed and checked once.
  const roles: typeof named = [];
  for (const r of named)
    if (roleAccount(r.arn) !== access.home.account && !roles.some((k) => roleAccount(k.arn) === roleAccount(r.arn))) roles.push(r);
  const before = calls();
  const own = (region: string) => ({ region, account: access.home.account });
  const scopes: ({ region: string } & AccountScope)[] = [
    ...regions.map(own),
    ...roles.flatMap((role) => regions.map((region) => ({ region, account: roleAccount(role.arn), role }))),
  ];
  const home = await access.deps(regions[0]!);
  const found = await pool(scopes, READS_AT_ONCE, async (scope) => {
    try {
      const deps = scope.role || scope.region !== regions[0] ? await access.deps(scope.region, scope.role) : home;
      return { ...scope, linkIds: (await discoverLinks(deps, scope.region)).map((l) => l.linkId) };
    } catch (e) {
      // Another account's trouble (its role cannot be taken on, its reads are refused) fails only its
      // page; a passing fault is the flow's Retry's, as for the deployment's own account.
      if (!scope.role || !(e instanceof StepFailure || (isAliyunError(e) && !e.retryable))) throw e;
      return { ...scope, linkIds: [], failed: causeOf(e) };
    }
  });
  const checkedAt = new Date(home.clock.now()).toISOString();
  const plan = planPages(found, { pageSize, runAt: checkedAt, remediate });
  return {
    plan: {
      checkedAt,
      regions,
      ...(roles.length ? { accounts: [...new Set([access.home.account, ...roles.map((r) => roleAccount(r.arn))])] } : {}),
      links: found.reduce((n, r) => n + r.linkIds.length, 0),
      pageSize,
      pages: plan.pages.length,
      pagesLeft: plan.pagesLeft,
      linksLeft: plan.linksLeft,
      // A string for the flow's Choice (CloudFlow documents comparisons for strings and numbers).
      remediate,
      calls: calls() - before,
    },
    pages: plan.pages,
  };
}

/**
 * `CheckPage`: the links of one page, each against the desired state recorded on its resources.
 * The region is listed again (the page is a range of IDs); only the page's links are read, as the
 * page's role when it has one. Hands on at most `window` drifted links (in this run's turn) with
 * their findings and the spec read back (with the role, so remediation re-provisions in the link's
 * account), and a summary bounded by `listed`. A page whose account cannot be read (its role refused
 * by STS or the allowlist) ends failed with the cause; a passing trouble is thrown for the flow's Retry.
 */
export async function driftPage(
  page: DriftPage,
  depsFor: () => Promise<StepDeps>,
  accountId: string,
  calls: () => number = () => 0,
): Promise<{ summary: PageSummary & { failed?: { code: string; message: string } }; drifted: DriftedLink[]; remediate: 'on' | 'off' }> {
  const before = calls();
  const account = page.account ?? accountId;
  const where = { region: page.region, page: page.page, of: page.of, account };
  const failed = (cause: { code: string; message: string }) => ({
    summary: { ...where, checked: 0, drifted: 0, handled: 0, calls: calls() - before, links: [], failed: cause },
    drifted: [],
    remediate: page.remediate,
  });
  if (page.failed) return failed(page.failed);
  let deps: StepDeps;
  try {
    deps = await depsFor();
  } catch (e) {
    if (page.role && (e instanceof StepFailure || (isAliyunError(e) && !e.retryable))) return failed(causeOf(e));
    throw e;
  }
  const fleet = await discoverLinks(deps, page.region);
  const links = fleet.filter((l) => inPage(page, l.linkId));
  // The whole region's links too: a zone or record of this page's links may concern another page's VPC (dns-findings.ts).
  const results = await checkLinks(deps, links, await registeredEndpoints(deps, links), undefined, fleet);
  const turn = thisRunsTurn(
    results.filter((r) => !r.clean),
    page.runAt,
  ).map((l) => ({ ...l, account }));
  const byId = new Map(links.map((l) => [l.linkId, l]));
  const drifted = turn
    .slice(0, page.window)
    .map(boundedFindings)
    .map((l) => ({
      linkId: l.linkId,
      vpcId: l.vpcId,
      region: l.region,
      account,
      findings: l.findings,
      spec: specFromLink(byId.get(l.linkId)!, account, page.role),
    }));
  return {
    summary: {
      ...where,
      checked: results.length,
      drifted: turn.length,
      handled: drifted.length,
      calls: calls() - before,
      links: turn.slice(0, page.listed).map(boundedFindings),
    },
    drifted,
    remediate: page.remediate,
  };
}

/** What one iteration of the `Pages` map leaves: the page's summary, or its failure (built by the flow's Catch). */
export interface PageOutcome {
  summary: Partial<PageSummary> & { region: string; page: number; of: number; failed?: { code: string; message: string } };
  remediation?: { result: RemediationResult }[];
  remediationFailed?: { code: string; message: string };
}

export const REPORTED_FAILURES = 5;
const MESSAGE_CHARS = 300;
const cut = (s: string, n = MESSAGE_CHARS) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** `Summarize`: the pages added up into the run's report (bounded), and the remediation results. */
export function driftSummary(input: { plan: DriftPlan; pages: PageOutcome[] }): {
  report: DriftReport;
  remediation: { result: RemediationResult }[];
} {
  const { plan, pages } = input;
  const ok = pages.filter((p) => !p.summary.failed);
  const failed = pages.filter((p) => p.summary.failed);
  const sum = (f: (s: Partial<PageSummary>) => number | undefined) => ok.reduce((n, p) => n + (f(p.summary) ?? 0), 0);
  const failures: PageFailure[] = failed.slice(0, REPORTED_FAILURES).map((p) => ({
    region: p.summary.region,
    ...(p.summary.account ? { account: p.summary.account } : {}),
    page: p.summary.page,
    of: p.summary.of,
    code: p.summary.failed!.code,
    message: cut(p.summary.failed!.message),
  }));
  const drifted = sum((s) => s.drifted);
  const remediationsFailed = pages.filter((p) => p.remediationFailed).reduce((n, p) => n + (p.summary.handled ?? 0), 0);
  return {
    report: {
      checkedAt: plan.checkedAt,
      regions: plan.regions,
      ...(plan.accounts ? { accounts: plan.accounts } : {}),
      checked: sum((s) => s.checked),
      links: ok.flatMap((p) => p.summary.links ?? []).slice(0, REPORTED_LINKS),
      drifted,
      deferred: drifted - sum((s) => s.handled),
      calls: plan.calls + sum((s) => s.calls),
      managed: plan.links,
      pageSize: plan.pageSize,
      pages: plan.pages,
      pagesFailed: failed.length,
      failures,
      linksLeft: plan.linksLeft,
      ...(remediationsFailed ? { remediationsFailed } : {}),
      partial: failed.length > 0 || plan.pagesLeft > 0,
    },
    remediation: pages.flatMap((p) => p.remediation ?? []),
  };
}

export interface RemediationResult {
  linkId: string;
  execution?: string;
  joined?: boolean;
  skipped?: string;
}

/** Starts (or joins) the provision flow for a drifted link; remediation is just an idempotent re-run. */
export async function remediate(flows: CloudFlowApi, item: DriftedLink): Promise<RemediationResult> {
  if (!item.spec) return { linkId: item.linkId, skipped: 'the recorded state is not enough to rebuild the spec' };
  try {
    const { execution, joined } = await startLinkRun(flows, PROVISION_FLOW, item.spec, { spec: item.spec, source: 'drift' });
    return { linkId: item.linkId, execution: execution.Name, joined };
  } catch (e) {
    // A run with another spec is provisioning the link: the next check looks again once it has ended.
    if (e instanceof LinkBusyError || e instanceof SpecDiffersError) return { linkId: item.linkId, skipped: cut(e.message, 200) };
    throw e;
  }
}
