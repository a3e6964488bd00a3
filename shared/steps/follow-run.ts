import { isAliyunError } from '../aliyun/errors.ts';
import { FINISHED_STATUSES, type CloudFlowApi, type Execution } from '../aliyun/cloudflow.ts';
import type { Clock } from '../clock.ts';
import { linkId } from '../derived.ts';
import { PROVISION_FLOW } from '../flow-names.ts';
import { followRequest, type FollowRequest } from '../link-joins.ts';
import type { Logger } from '../log.ts';
import { ProgressReader } from '../progress.ts';
import { parseLinkSpec } from '../spec.ts';
import { followLimitSeconds, followPollSeconds } from './follow-pacing.ts';
import { buildReport, type LinkReport } from './report.ts';
import { emptyState, type Failure } from './types.ts';

/**
 * The follower's look at the run it follows (flows/follow.yaml, FollowRun): while the run goes on,
 * when to look again; once it has ended, its report as this requester's answer (its ticket in
 * place of the run's). A refused request is answered with its refusal at once. Only reads; a
 * CloudFlow error is not a failure, only a reason to look again later.
 */

export interface FollowReply {
  outcome: 'waiting' | 'done';
  /** The run followed: the callback's and the outcome event's `execution`. */
  run: string;
  wait: { nextPollSeconds: number; waitingFor: string } | null;
  report: LinkReport | null;
}

export interface FollowDeps {
  flows: CloudFlowApi;
  clock: Clock;
  log: Logger;
}

/** The step a follower's own failures are reported under. */
const STEP = 'Join';

export async function followRun(input: unknown, deps: FollowDeps): Promise<FollowReply> {
  const parsed = followRequest().safeParse(input);
  // Only zpl's own code starts followers: a malformed input is a bug, for the flow's Retry and Fail.
  if (!parsed.success) throw new Error(`not a follower's input: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
  const request = parsed.data;
  const answer = (report: LinkReport): FollowReply => ({
    outcome: 'done',
    run: request.run,
    wait: null,
    report: { ...report, ticketId: request.ticketId ?? '' },
  });
  const failed = (failure: Omit<Failure, 'step'>) => answer(failedReport(request, { step: STEP, ...failure }));
  if (request.refused) return failed({ code: 'Link.SpecDiffers', message: request.refused.message });

  let run: Execution;
  try {
    run = await deps.flows.describe(PROVISION_FLOW, request.run);
    if (FINISHED_STATUSES.has(run.Status)) {
      const reader = new ProgressReader();
      reader.read(await deps.flows.history(PROVISION_FLOW, request.run));
      if (reader.report) return answer(reader.report);
      return failed({ code: `Run.${run.Status}`, message: `execution ${run.Name} ended ${run.Status} before its report` });
    }
  } catch (e) {
    if (isAliyunError(e, 'ExecutionNotExists'))
      return failed({ code: 'Follow.RunMissing', message: `execution ${request.run} does not exist` });
    if (!isAliyunError(e)) throw e;
    deps.log.warn('follow.cloudflow_error', { run: request.run, code: e.code, requestId: e.requestId });
    return waiting(request.run, 0, `CloudFlow to answer about execution ${request.run} (${e.code})`);
  }
  // StartedTime as fnf's metadata shows it ("2019-01-01T01:01:01.001Z", DescribeExecution); unreadable, the longest pause.
  const started = Date.parse(run.StartedTime);
  const age = Number.isFinite(started) ? deps.clock.now() - started : Infinity;
  if (Number.isFinite(age) && age >= followLimitSeconds() * 1000)
    return failed({
      code: 'Follow.Expired',
      message: `execution ${run.Name} is still ${run.Status} after ${Math.round(age / 3_600_000)} h; see zpl status ${run.Name}`,
    });
  return waiting(request.run, age, `execution ${run.Name} to end (now ${run.Status})`);
}

const waiting = (run: string, ageMs: number, waitingFor: string): FollowReply => ({
  outcome: 'waiting',
  run,
  wait: { nextPollSeconds: followPollSeconds(ageMs), waitingFor },
  report: null,
});

/** A failed answer for the requester's link, built from its own spec (the run's report is not there to copy). */
function failedReport(request: FollowRequest, failure: Failure): LinkReport {
  const spec = parseLinkSpec(request.spec);
  if (!spec.ok) throw new Error(`the follower of ${request.run} holds an invalid spec`);
  return buildReport(spec.spec, emptyState(linkId(spec.spec)), failure);
}
