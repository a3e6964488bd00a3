import { describe, expect, it } from 'vitest';
import { AliyunError } from '../shared/aliyun/errors.ts';
import type { CloudFlowApi, Execution, HistoryEvent } from '../shared/aliyun/cloudflow.ts';
import { silentLogger } from '../shared/log.ts';
import { followLimitSeconds, followPollSeconds } from '../shared/steps/follow-pacing.ts';
import { followRun } from '../shared/steps/follow-run.ts';
import { demoSpec } from './support/provision.ts';

/** A follower's look at its run (shared/steps/follow-run.ts), against a CloudFlow that answers as told. */

const RUN = 'zpl-0c3730bbb610-p0001';
const START = Date.parse('2026-01-01T00:00:00.000Z');
const request = { run: RUN, spec: demoSpec(), ticketId: 'T-9', requestKey: 'ticket:T-9' };

function flows(run: Partial<Execution> | Error, events: HistoryEvent[] = []): CloudFlowApi {
  return {
    describe: async () => {
      if (run instanceof Error) throw run;
      return { Name: RUN, FlowName: 'zpl-provision', Status: 'Running', StartedTime: new Date(START).toISOString(), ...run };
    },
    history: async () => events,
  } as unknown as CloudFlowApi;
}
const at = (ms: number) => ({ now: () => START + ms, sleep: async () => undefined });
const look = (f: CloudFlowApi, ms = 0) => followRun(request, { flows: f, clock: at(ms), log: silentLogger });
const fnfError = (code: string) => new AliyunError({ product: 'fnf', action: 'DescribeExecution', code, message: code, retryable: false });

describe("a follower's look at its run", () => {
  it('while the run goes on: look again a tenth of its age later', async () => {
    expect(await look(flows({}), 1_800_000)).toEqual({
      outcome: 'waiting',
      run: RUN,
      wait: { nextPollSeconds: followPollSeconds(1_800_000), waitingFor: `execution ${RUN} to end (now Running)` },
      report: null,
    });
  });

  it("once it has ended: the run's report with this request's ticket", async () => {
    const report = { ok: true, outcome: 'succeeded', ticketId: 'T-1', linkId: 'zpl-0c3730bbb610' };
    const events = [
      {
        EventId: 9,
        StepName: 'Report',
        Type: 'StepExited',
        Time: new Date(START).toISOString(),
        EventDetail: JSON.stringify({ output: { report } }),
      },
    ];
    expect(await look(flows({ Status: 'Succeeded' }, events))).toMatchObject({
      outcome: 'done',
      run: RUN,
      report: { ...report, ticketId: 'T-9' },
    });
  });

  it('a run gone, ended without a report, or older than the limit: a failed answer naming why', async () => {
    const failure = async (f: CloudFlowApi, ms = 0) => ((await look(f, ms)).report as { failed: { code: string } }).failed.code;
    expect(await failure(flows(fnfError('ExecutionNotExists')))).toBe('Follow.RunMissing');
    expect(await failure(flows({ Status: 'Stopped' }))).toBe('Run.Stopped');
    expect(await failure(flows({}), followLimitSeconds() * 1000)).toBe('Follow.Expired');
  });

  it('CloudFlow throttling is no failure: look again later; an unreadable start time, at the longest pause', async () => {
    expect(await look(flows(fnfError('ResourceThrottled')))).toMatchObject({ outcome: 'waiting', wait: { nextPollSeconds: 60 } });
    expect(await look(flows({ StartedTime: 'yesterday' }))).toMatchObject({ outcome: 'waiting', wait: { nextPollSeconds: 300 } });
  });

  it('a refused request is answered with its refusal at once, without looking', async () => {
    const refused = { ...request, refused: { message: 'another spec', fields: [{ field: 'clusters', message: 'adds one' }] } };
    const reply = await followRun(refused, { flows: flows(new Error('not called')), clock: at(0), log: silentLogger });
    expect(reply).toMatchObject({
      outcome: 'done',
      report: { ok: false, ticketId: 'T-9', failed: { step: 'Join', code: 'Link.SpecDiffers', message: 'another spec' } },
    });
  });
});
