import { isAliyunError } from '../aliyun/errors.ts';
import type { CloudFlowApi, Execution } from '../aliyun/cloudflow.ts';
import { linkId } from '../derived.ts';
import { DRIFT_FLOW, FOLLOW_FLOW, PROVISION_FLOW, TEARDOWN_FLOW } from '../flow-names.ts';
import { inputOf } from '../execution-input.ts';
import { pool } from '../pool.ts';
import type { DriftReport } from '../drift/types.ts';
import type { LinkReport } from '../steps/report.ts';
import { readRun, runRef } from './run-history.ts';
import type { Cause, DriftView, LinkState, LinkView, Overview, TicketView } from './views.ts';

/**
 * Everything the page's front view shows, from CloudFlow alone (the API function's role reads
 * executions and nothing else): each flow listed once; a link is known by its runs (the spec in
 * their input), its resources are the report of its last successful run, its cause that of its
 * last failed one (one history read each), and it is drifted when the latest finished drift check,
 * started after that run ended, names it. Tickets are the runs and followers whose input carries one.
 */

/** Executions listed on the page (the newest), apart from those behind the links and tickets. */
export const RECENT_EXECUTIONS = 30;
/** History reads in flight at once (CloudFlow's per-account rate limit is shared with the flows). */
const READS_AT_ONCE = 4;

const time = (t: string | undefined) => (t ? Date.parse(t) : 0);
const newest = (a: Execution, b: Execution) => time(b.StartedTime) - time(a.StartedTime);
const parse = <T>(text: string | undefined): T | undefined => {
  try {
    return text ? (JSON.parse(text) as T) : undefined;
  } catch {
    return undefined;
  }
};
const RUNNING = new Set(['Starting', 'Running']);

export class OverviewReader {
  private readonly causes = new Map<string, Promise<{ cause?: Cause; report?: LinkReport }>>();
  constructor(private readonly flows: CloudFlowApi) {}

  /** A flow's executions, each with its input (read one by one where a listing leaves it out). */
  private async list(flow: string): Promise<Execution[]> {
    const listed = await this.flows.list(flow).catch((e: unknown) => {
      if (isAliyunError(e, 'FlowNotExists')) return [];
      throw e;
    });
    // The metadata lists Input and Output in ListExecutions; should CloudFlow leave them out, DescribeExecution has them.
    return pool(listed, READS_AT_ONCE, async (e) => (e.Input === undefined ? this.flows.describe(flow, e.Name) : e));
  }

  /** Why a run failed and what it had made by then (its history, read once per page view). */
  private failure(flow: string, e: Execution) {
    const key = `${flow}/${e.Name}`;
    let found = this.causes.get(key);
    if (!found) {
      const run = runRef(flow, e);
      found = this.flows.history(flow, e.Name).then((events) => {
        const r = readRun(run, events);
        return { cause: r.view.cause, report: r.report };
      });
      this.causes.set(key, found);
    }
    return found;
  }

  async read(): Promise<Overview> {
    const [provision, teardown, drift, follow] = await Promise.all(
      [PROVISION_FLOW, TEARDOWN_FLOW, DRIFT_FLOW, FOLLOW_FLOW].map((f) => this.list(f)),
    );
    const driftView = this.drift(drift!);
    const [links, tickets] = await Promise.all([this.links(provision!, teardown!, driftView), this.tickets(provision!, follow!)]);
    const executions = [
      ...provision!.map((e) => runRef(PROVISION_FLOW, e)),
      ...teardown!.map((e) => runRef(TEARDOWN_FLOW, e)),
      ...drift!.map((e) => runRef(DRIFT_FLOW, e)),
      ...follow!.map((e) => runRef(FOLLOW_FLOW, e)),
    ]
      .sort((a, b) => time(b.startedTime) - time(a.startedTime))
      .slice(0, RECENT_EXECUTIONS);
    return { links, ...(driftView ? { drift: driftView } : {}), tickets, executions };
  }

  /** The latest drift check that finished with a report. */
  private drift(runs: Execution[]): DriftView | undefined {
    const done = runs
      .filter((e) => e.Status === 'Succeeded')
      .sort(newest)
      .find((e) => parse<{ report?: DriftReport }>(e.Output)?.report);
    if (!done) return undefined;
    const report = parse<{ report: DriftReport }>(done.Output)!.report;
    return {
      run: runRef(DRIFT_FLOW, done),
      checkedAt: report.checkedAt,
      checked: report.checked,
      drifted: report.drifted,
      links: report.links.filter((l) => !l.clean).map((l) => ({ linkId: l.linkId, vpcId: l.vpcId, findings: l.findings })),
    };
  }

  private async links(provision: Execution[], teardown: Execution[], drift: DriftView | undefined): Promise<LinkView[]> {
    const byLink = new Map<string, { p: Execution[]; t: Execution[] }>();
    const add = (e: Execution, kind: 'p' | 't') => {
      const spec = inputOf(e).spec as { projectId?: string; region?: string; vpcId?: string } | undefined;
      if (!spec?.projectId || !spec.region || !spec.vpcId) return;
      const id = linkId(spec as Parameters<typeof linkId>[0]);
      const entry = byLink.get(id) ?? { p: [], t: [] };
      entry[kind].push(e);
      byLink.set(id, entry);
    };
    provision.forEach((e) => add(e, 'p'));
    teardown.forEach((e) => add(e, 't'));
    const views = await pool([...byLink], READS_AT_ONCE, ([id, runs]) => this.link(id, runs.p.sort(newest), runs.t.sort(newest), drift));
    return views.sort((a, b) => time(b.lastRun.startedTime) - time(a.lastRun.startedTime));
  }

  private async link(id: string, provision: Execution[], teardown: Execution[], drift: DriftView | undefined): Promise<LinkView> {
    const [p, t] = [provision[0], teardown[0]];
    const removal = t && (!p || time(t.StartedTime) >= time(p.StartedTime));
    const last = removal ? t : p!;
    const flow = removal ? TEARDOWN_FLOW : PROVISION_FLOW;
    const spec = inputOf(last).spec as { projectId: string; region: string; vpcId: string; clusters?: string[] };
    const succeeded = provision.find((e) => e.Status === 'Succeeded');
    let report = parse<{ report?: LinkReport }>(succeeded?.Output)?.report;
    let state: LinkState;
    let cause: Cause | undefined;
    if (RUNNING.has(last.Status)) state = removal ? 'removing' : 'provisioning';
    else if (last.Status === 'Succeeded') state = removal ? 'removed' : 'ready';
    else {
      state = 'failed';
      const f = await this.failure(flow, last);
      cause = f.cause;
      if (!removal && f.report) report = f.report;
    }
    const drifted = drift?.links.find((l) => l.linkId === id);
    const findings = state === 'ready' && drifted && time(drift!.run.startedTime) >= time(last.StoppedTime) ? drifted.findings : undefined;
    if (findings) state = 'drifted';
    return {
      linkId: id,
      state,
      projectId: spec.projectId,
      region: spec.region,
      vpcId: spec.vpcId,
      clusters: spec.clusters ?? [],
      ...(report?.endpoint && state !== 'removed' ? { endpoint: report.endpoint } : {}),
      ...(report?.securityGroupId && state !== 'removed' ? { securityGroupId: report.securityGroupId } : {}),
      ...(report?.dnsZoneId && state !== 'removed' ? { dnsZoneId: report.dnsZoneId } : {}),
      records: state === 'removed' ? [] : (report?.records ?? []),
      lastRun: runRef(flow, last),
      ...(cause ? { cause } : {}),
      ...(findings ? { findings } : {}),
    };
  }

  /** Each ticket's run or follower (refused tickets are answered by a follower too), newest first. */
  private async tickets(provision: Execution[], follow: Execution[]): Promise<TicketView[]> {
    const asked = [...provision.map((e) => ({ e, flow: PROVISION_FLOW })), ...follow.map((e) => ({ e, flow: FOLLOW_FLOW }))].filter(
      ({ e }) => typeof inputOf(e).ticketId === 'string',
    );
    asked.sort((a, b) => newest(a.e, b.e));
    return pool(asked, READS_AT_ONCE, async ({ e, flow }): Promise<TicketView> => {
      const input = inputOf(e);
      const refused = input.refused as { message: string } | undefined;
      const spec = input.spec as Parameters<typeof linkId>[0] | undefined;
      const base = {
        ticketId: String(input.ticketId),
        run: runRef(flow, e),
        ...(spec?.projectId && spec.region && spec.vpcId ? { linkId: linkId(spec) } : {}),
      };
      if (refused) return { ...base, outcome: 'refused', cause: { step: 'Join', code: 'Link.SpecDiffers', message: refused.message } };
      if (RUNNING.has(e.Status)) return { ...base, outcome: 'pending' };
      const report = parse<{ report?: LinkReport }>(e.Output)?.report;
      if (e.Status === 'Succeeded' && report?.outcome !== 'failed') return { ...base, outcome: 'succeeded' };
      const cause = report?.failed ?? (await this.failure(flow, e)).cause;
      return { ...base, outcome: 'failed', ...(cause ? { cause } : {}) };
    });
  }
}
