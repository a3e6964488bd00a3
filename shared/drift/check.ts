import { createHash } from 'node:crypto';
import { pool, READS_AT_ONCE } from '../pool.ts';
import type { StepDeps } from '../steps/types.ts';
import { discoverLinks } from './discover.ts';
import { dnsContext, dnsFindings, type DnsContext } from './dns-findings.ts';
import { endpointZoneFindings } from './endpoint-zone-findings.ts';
import { securityGroupFindings } from './security-group-findings.ts';
import type { DriftReport, Finding, LinkDrift, ManagedLink } from './types.ts';

/**
 * Compares managed links with the desired state recorded on their resources. Cost grows
 * with the number of links and no worse: per region two batched lists, per Zilliz project one,
 * per VPC one list of the zones bound to it, then about three reads per link (and a zone's
 * bindings where another VPC's link made it), at most `concurrency` at a time (the transports back
 * off on throttling). The drift flow runs it a page at a time (shared/drift/paging.ts); `checkDrift`
 * checks everything at once, in process.
 */
export interface DriftOptions {
  regions: string[];
  concurrency?: number;
}

async function checkLink(l: ManagedLink, deps: StepDeps, registered: Map<string, Set<string>>, dns: DnsContext): Promise<Finding[]> {
  const findings: Finding[] = [];
  const add = (kind: Finding['kind'], detail: string) => findings.push({ kind, detail });
  const ep = l.endpoint;
  if (!ep) add('endpoint.missing', `no endpoint tagged for link ${l.linkId} in ${l.vpcId}`);
  else {
    if (ep.status !== 'Active') add('endpoint.not_active', `endpoint ${ep.id} is ${ep.status}`);
    if (ep.connection !== 'Connected') add('endpoint.not_connected', `endpoint ${ep.id} connection is ${ep.connection}`);
    findings.push(...endpointZoneFindings(ep.id, l.desired.zones, await deps.aliyun.privateLink.endpointZones(ep.id)));
    if (l.desired.projectId && !registered.get(l.desired.projectId)?.has(ep.id))
      add('zilliz.registration_missing', `endpoint ${ep.id} is not registered with Zilliz project ${l.desired.projectId}`);
  }

  findings.push(...(await securityGroupFindings(l, deps)));

  if (ep && l.desired.clusters.length > 0) findings.push(...(await dnsFindings(l, ep, dns, deps)));
  return findings;
}

/**
 * Bounds on what the drift flow carries from state to state, so its state stays O(1) in links:
 * CloudFlow fails a state whose input or output passes 64 KiB ("The size of the input and output
 * of a state cannot exceed 64 KiB", https://www.alibabacloud.com/help/en/serverless-workflow/latest/input-and-output).
 * Each drifted item (findings and the spec read back) stays under about 1.6 KB, so 25 of them and
 * the report fit with room.
 */
export const REPORTED_LINKS = 10;
export const REPORTED_FINDINGS = 5;
export const MAX_DRIFTED_PER_RUN = 25;
const DETAIL_CHARS = 200;

/** At most REPORTED_FINDINGS findings, each detail cut to DETAIL_CHARS, and a count of the rest. */
export function boundedFindings(l: LinkDrift): LinkDrift {
  const findings = l.findings
    .slice(0, REPORTED_FINDINGS)
    .map((f) => ({ kind: f.kind, detail: f.detail.length > DETAIL_CHARS ? `${f.detail.slice(0, DETAIL_CHARS - 1)}…` : f.detail }));
  const more = l.findings.length - findings.length;
  return { ...l, findings, ...(more > 0 ? { moreFindings: more } : {}) };
}

/**
 * The drifted links in the order this run handles them: shuffled by a hash of the link and the
 * check's time, so the MAX_DRIFTED_PER_RUN a run announces and remediates differ from run to
 * run, and links that stay drifted (remediation off, or failing) cannot hold the window for good.
 */
export function thisRunsTurn<T extends { linkId: string }>(drifted: T[], checkedAt: string): T[] {
  const key = (l: T) => createHash('sha256').update(`${checkedAt}/${l.linkId}`).digest('hex');
  return drifted
    .map((l) => ({ l, k: key(l) }))
    .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
    .map(({ l }) => l);
}

/** Which endpoints each Zilliz project has registered: one paged list per project of `links`. */
export async function registeredEndpoints(deps: StepDeps, links: ManagedLink[]): Promise<Map<string, Set<string>>> {
  const projects = [...new Set(links.map((l) => l.desired.projectId).filter((p): p is string => Boolean(p)))];
  const registered = new Map<string, Set<string>>();
  for (const p of projects) registered.set(p, new Set((await deps.zilliz.listEndpoints(p)).map((e) => e.endpointId)));
  return registered;
}

/**
 * Checks `links`, at most `concurrency` at a time. The first failure fails the whole batch: the
 * links not started by then are not read at all and the reads in flight are aborted (pool.ts), so
 * a failed page stops its calls (the flow retries or gives up on the page, it does not keep
 * calling in the background). `fleet`: every managed link of the region, a page's included (which
 * VPCs have links, whose endpoints they are).
 */
export async function checkLinks(
  deps: StepDeps,
  links: ManagedLink[],
  registered: Map<string, Set<string>>,
  concurrency = READS_AT_ONCE,
  fleet: ManagedLink[] = links,
): Promise<LinkDrift[]> {
  const dns = await dnsContext(links, fleet, deps, concurrency);
  return pool(links, concurrency, async (l): Promise<LinkDrift> => {
    const findings = await checkLink(l, deps, registered, dns);
    return {
      linkId: l.linkId,
      region: l.region,
      vpcId: l.vpcId,
      projectId: l.desired.projectId,
      endpointId: l.endpoint?.id,
      clean: findings.length === 0,
      findings,
    };
  });
}

export async function checkDrift(
  deps: StepDeps,
  opts: DriftOptions,
  countCalls: () => number = () => 0,
): Promise<{ report: DriftReport; links: ManagedLink[]; drifted: LinkDrift[] }> {
  const before = countCalls();
  const links = (await pool(opts.regions, READS_AT_ONCE, (r) => discoverLinks(deps, r))).flat();
  const results = await checkLinks(deps, links, await registeredEndpoints(deps, links), opts.concurrency);
  const checkedAt = new Date(deps.clock.now()).toISOString();
  const drifted = thisRunsTurn(
    results.filter((r) => !r.clean),
    checkedAt,
  );
  return {
    report: {
      checkedAt,
      regions: opts.regions,
      checked: results.length,
      links: drifted.slice(0, REPORTED_LINKS).map(boundedFindings),
      drifted: drifted.length,
      deferred: Math.max(0, drifted.length - MAX_DRIFTED_PER_RUN),
      calls: countCalls() - before,
    },
    links,
    drifted,
  };
}
