import { note } from './gen/emit.ts';
import { putEvents } from './gen/events.ts';
import { anyErrorRetry, catchAll, choice, EXECUTION_NAME, fcRetry, fcTask, succeed, type Flow } from './gen/fdl.ts';

/**
 * flows/drift.yaml, described: the managed links cut into pages (shared/drift/paging.ts), each
 * page checked, announced and (optionally) remediated in one iteration of a map, then the pages
 * added up into the report. A page that still fails after its retries is caught inside its
 * iteration, so the check goes on with the next page and the report names it.
 */

/** The check's Tasks only read: a crash or a timeout is retried like FC's own failures. */
const READ_RETRY = [
  fcRetry({ MaxAttempts: 3, IntervalSeconds: 10, BackoffRate: 2 }),
  anyErrorRetry('any other error (a crash, a timeout, a vendor error the clients gave up on); the check only reads', {
    MaxAttempts: 2,
    IntervalSeconds: 10,
    BackoffRate: 3,
  }),
];

/** What each state of a page's iteration after the check passes on. */
const carried = { 'summary.$': '$Input.summary', 'drifted.$': '$Input.drifted', 'remediate.$': '$Input.remediate' };

/** CloudFlow's error of the state that failed ($Context.Current.Error, the data-passing page). */
const error = { 'code.$': '$Context.Current.Error.Code', 'message.$': '$Context.Current.Error.Detail' };

export const drift: Flow = {
  header: [
    'Scheduled drift check (started by functions/drift on a timer, by POST /v1/drift-checks or by `zpl drift`).',
    'Input: {"regions": [...], "remediate": false, "pageSize": 1000, "roles": [{"arn": ..., "externalId": ...}]}.',
    "Discover cuts the managed links of each region and account (the deployment's own, each role's) into",
    "pages of link IDs; each page is checked (as its account's role) against the desired state recorded",
    'on its resources, its drifted links (its share of 25 a run) announced as zpl.drift.detected and,',
    'with remediate on, the (idempotent) provision flow re-run for them; a page that still fails is',
    'counted and named, and the check goes on. Summarize adds the pages up into the report.',
  ],
  name: 'zpl-drift',
  description: 'Find managed private links that drifted from their recorded desired state',
  states: [
    fcTask({
      step: 'Discover',
      params: {
        ...note(
          'The whole input as its starter gave it (regions, remediate, pageSize and roles are optional there), and the run, which names the role sessions.',
        ),
        body: { 'input.$': '$Input', 'execution.$': EXECUTION_NAME },
      },
      retry: READ_RETRY,
      output: { 'plan.$': '$Output.Body.plan', 'pages.$': '$Output.Body.pages' },
      next: 'Pages',
    }),
    {
      Name: 'Pages',
      Type: 'Map',
      ItemsPath: '$Input.pages',
      ...note("One page at a time: the vendors' rate limits are the account's, parallel pages would throttle each other."),
      MaxConcurrency: 1,
      Processor: {
        StartAt: 'CheckPage',
        States: [
          fcTask({
            step: 'CheckPage',
            params: { body: { 'page.$': '$Input', 'execution.$': EXECUTION_NAME } },
            retry: READ_RETRY,
            catch: [
              catchAll('a page that still fails is counted and named in the report; the check goes on with the next page', 'PageFailed', {
                summary: {
                  'region.$': '$Input.region',
                  'account.$': '$Input.account',
                  'page.$': '$Input.page',
                  'of.$': '$Input.of',
                  failed: error,
                },
              }),
            ],
            output: { 'summary.$': '$Output.Body.summary', 'drifted.$': '$Output.Body.drifted', 'remediate.$': '$Output.Body.remediate' },
            next: 'AnyDrift',
          }),
          choice('AnyDrift', [['$Input.summary.handled > 0', 'Announce']], 'PageChecked'),
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
                  data: {
                    'linkId.$': '$Input.linkId',
                    'vpcId.$': '$Input.vpcId',
                    'region.$': '$Input.region',
                    'account.$': '$Input.account',
                    'findings.$': '$Input.findings',
                  },
                  then: { End: true },
                }),
              ],
            },
            Catch: [catchAll('an announcement that cannot be published does not stop the check', 'RemediateWanted', carried)],
            OutputConstructor: carried,
            Next: 'RemediateWanted',
          },
          choice('RemediateWanted', [['$Input.remediate == "on"', 'Remediate']], 'PageChecked'),
          {
            Name: 'Remediate',
            Type: 'Map',
            ItemsPath: '$Input.drifted',
            MaxConcurrency: 5,
            Processor: {
              StartAt: 'Reprovision',
              States: [
                fcTask({
                  step: 'Reprovision',
                  params: { 'body.$': '$Input' },
                  retry: [fcRetry({ MaxAttempts: 3, IntervalSeconds: 2, BackoffRate: 2 })],
                  output: { 'result.$': '$Output.Body' },
                }),
              ],
            },
            Catch: [
              catchAll('a remediation that cannot be started does not stop the check', 'RemediationFailed', {
                'summary.$': '$Input.summary',
                remediationFailed: error,
              }),
            ],
            ...note('Only the summary and the remediation results leave the iteration: the map output stays O(pages).'),
            OutputConstructor: { 'summary.$': '$Input.summary', 'remediation.$': '$Output.Items' },
            End: true,
          },
          { Name: 'RemediationFailed', Type: 'Pass', End: true },
          { Name: 'PageFailed', Type: 'Pass', End: true },
          // A Pass may rebuild its output (CloudFlow's Pass state page: OutputConstructor).
          { Name: 'PageChecked', Type: 'Pass', OutputConstructor: { 'summary.$': '$Input.summary' }, End: true },
        ],
      },
      OutputConstructor: { 'plan.$': '$Input.plan', 'pages.$': '$Output.Items' },
      Next: 'Summarize',
    },
    fcTask({
      step: 'Summarize',
      params: { 'body.$': '$Input' },
      retry: READ_RETRY,
      output: { 'report.$': '$Output.Body.report', 'remediation.$': '$Output.Body.remediation' },
      next: 'Done',
    }),
    succeed('Done'),
  ],
};
