import { note } from './gen/emit.ts';
import { putEvents } from './gen/events.ts';
import { anyErrorRetry, catchAll, choice, fcRetry, fcTask, succeed, type Flow } from './gen/fdl.ts';

/** flows/drift.yaml, described: one check over every managed link, then an event and (optionally) a re-provision per drifted link. */

/** What each state after the check passes on. */
const carried = { 'report.$': '$Input.report', 'drifted.$': '$Input.drifted', 'remediate.$': '$Input.remediate' };

export const drift: Flow = {
  header: [
    'Scheduled drift check (started by functions/drift on a timer, or by `zpl drift`).',
    'Input: {"regions": [...], "remediate": false}. Every managed link is compared with the desired',
    'state recorded on its resources; each drifted link is announced as zpl.drift.detected and,',
    'with remediate on, the (idempotent) provision flow is re-run for it.',
  ],
  name: 'zpl-drift',
  description: 'Find managed private links that drifted from their recorded desired state',
  states: [
    fcTask({
      step: 'Check',
      params: { ...note('The whole input as its starter gave it: regions and remediate are optional there.'), 'body.$': '$Input' },
      retry: [
        fcRetry({ MaxAttempts: 3, IntervalSeconds: 10, BackoffRate: 2 }),
        anyErrorRetry('any other error (a crash, a timeout); the check only reads', {
          MaxAttempts: 2,
          IntervalSeconds: 10,
          BackoffRate: 3,
        }),
      ],
      output: { 'report.$': '$Output.Body.report', 'drifted.$': '$Output.Body.drifted', 'remediate.$': '$Output.Body.remediate' },
      next: 'AnyDrift',
    }),
    choice('AnyDrift', [['$Input.report.drifted > 0', 'Announce']], 'Done'),
    {
      Name: 'Announce',
      Type: 'Map',
      ItemsPath: '$Input.drifted',
      MaxConcurrency: 5,
      Processor: {
        StartAt: 'Publish',
        States: [
          putEvents({
            name: 'Publish',
            type: 'zpl.drift.detected',
            subject: '$Input.linkId',
            data: { 'linkId.$': '$Input.linkId', 'vpcId.$': '$Input.vpcId', 'region.$': '$Input.region', 'findings.$': '$Input.findings' },
            then: { End: true },
          }),
        ],
      },
      Catch: [catchAll('an announcement that cannot be published does not stop the check', 'RemediateWanted', carried)],
      OutputConstructor: carried,
      Next: 'RemediateWanted',
    },
    choice('RemediateWanted', [['$Input.remediate == "on"', 'Remediate']], 'Done'),
    {
      Name: 'Remediate',
      Type: 'Map',
      ItemsPath: '$Input.drifted',
      MaxConcurrency: 5,
      Processor: {
        StartAt: 'Reprovision',
        States: [fcTask({ step: 'Reprovision', params: { 'body.$': '$Input' }, output: { 'result.$': '$Output.Body' } })],
      },
      OutputConstructor: { 'report.$': '$Input.report', 'remediation.$': '$Output.Items' },
      Next: 'Done',
    },
    succeed('Done'),
  ],
};
