import { anyErrorRetry, choice, EXECUTION_INPUT, fcRetry, fcTask, type Flow } from './gen/fdl.ts';
import { answer } from './gen/outcome.ts';

/**
 * flows/follow.yaml, described: one execution per request that joined a provision run someone
 * else started (shared/link-joins.ts). It looks at the run until it ends, then answers its own
 * requester as the run answers its starter: the callback, then the outcome event.
 */

const RUN = '$Input.run';

export const follow: Flow = {
  header: [
    'Answer one request that joined a provision run someone else started (started by shared/link-joins.ts).',
    'Input: {"run": <provision execution>, "spec", "ticketId"?, "callback"?, "requestKey"?, "refused"?}.',
    'FollowRun looks at the run (a tenth of its age apart, 60-300 s) until it ends and hands on its report with this',
    "request's ticket; a refused request is answered at once. Then the signed callback and the outcome event, as",
    'the provision flow gives them, with this execution as the event ID.',
  ],
  name: 'zpl-follow',
  description: 'Answer a request that joined a running provision run, callback and outcome event',
  states: [
    fcTask({
      step: 'FollowRun',
      params: { body: { 'input.$': EXECUTION_INPUT } },
      retry: [
        fcRetry({ MaxAttempts: 5, IntervalSeconds: 2, BackoffRate: 2, MaxBackoffSeconds: 60 }),
        anyErrorRetry('any other error (a crash, a timeout); the look only reads', { MaxAttempts: 2, IntervalSeconds: 10, BackoffRate: 3 }),
      ],
      output: {
        'outcome.$': '$Output.Body.outcome',
        'run.$': '$Output.Body.run',
        'wait.$': '$Output.Body.wait',
        'report.$': '$Output.Body.report',
      },
      next: 'RunEnded',
    }),
    choice('RunEnded', [['$Input.outcome == "done"', 'Notify']], 'WaitForRun'),
    { Name: 'WaitForRun', Type: 'Wait', 'Seconds.$': '$Input.wait.nextPollSeconds', Next: 'FollowRun' },
    ...answer(RUN, { 'input.$': EXECUTION_INPUT }, { 'run.$': RUN }),
  ],
};
