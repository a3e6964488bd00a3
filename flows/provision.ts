import type { Mapping } from './gen/emit.ts';
import { putEvents } from './gen/events.ts';
import { catchAll, EXECUTION_INPUT, EXECUTION_NAME, fail, fcTask, succeed, type Flow } from './gen/fdl.ts';
import { linkSteps, outcome, report } from './gen/link-flow.ts';

/** flows/provision.yaml, described: the steps in order, the waits, then report, callback and outcome event. */

/** The outcome event; one that cannot be published does not change the outcome, and says so in the output. */
const announce = (name: string, type: string, next: string): Mapping =>
  putEvents({
    name,
    id: EXECUTION_NAME,
    type,
    subject: '$Input.report.linkId',
    data: { 'execution.$': EXECUTION_NAME, 'ticketId.$': '$Input.report.ticketId', 'report.$': '$Input.report' },
    then: {
      Catch: [
        catchAll(
          'an outcome event that cannot be published does not change the outcome',
          next,
          {
            'report.$': '$Input.report',
            announced: { ok: false, 'code.$': '$Context.Current.Error.Code', 'message.$': '$Context.Current.Error.Detail' },
          },
          "Kept visible: the execution's output (and this step's history) says the event was not published, and why.",
        ),
      ],
      OutputConstructor: { 'report.$': '$Input.report', announced: { ok: true } },
      Next: next,
    },
  });

export const provision: Flow = {
  header: [
    'Provision a Zilliz Cloud private link for one VPC (Zilliz guide "创建私网连接（阿里云）").',
    'Input: {"spec": <link spec>}. Each Task is one FC function (functions/<name>); waits are',
    'Task(check) → Choice → Wait loops paced by the check step, each with a deadline.',
    '${region}, ${accountId} and ${eventBus} are filled in by `zpl render` / `zpl apply` before deployment.',
  ],
  name: 'zpl-provision',
  description: 'Connect an Alibaba Cloud VPC to a Zilliz Cloud project over PrivateLink',
  states: [
    ...linkSteps([
      { step: 'Validate', then: 'Validated' },
      { step: 'Allowlist', then: 'Allowlisted' },
      { step: 'CheckService', then: 'ServiceVisible', wait: 'WaitForService' },
      { step: 'EnsureSecurityGroup', then: 'SecurityGroupReady' },
      { step: 'EnsureEndpoint', then: 'EndpointRequested' },
      { step: 'CheckEndpoint', then: 'EndpointActive', wait: 'WaitForEndpoint' },
      { step: 'RegisterEndpoint', then: 'Registered' },
      { step: 'CheckConnection', then: 'Connected', wait: 'WaitForConnection' },
      { step: 'EnsureDns', then: 'DnsReady' },
      { step: 'Verify' },
    ]),
    report('Notify'),
    fcTask({
      step: 'Notify',
      params: { body: { 'execution.$': EXECUTION_NAME, 'input.$': EXECUTION_INPUT, 'report.$': '$Input.report' } },
      catch: [catchAll('a callback that cannot be delivered does not change the outcome', 'Outcome', { 'report.$': '$Input.report' })],
      output: { 'report.$': '$Input.report', 'notified.$': '$Output.Body' },
      next: 'Outcome',
    }),
    outcome('AnnounceSucceeded', 'AnnounceFailed'),
    announce('AnnounceSucceeded', 'zpl.link.succeeded', 'Done'),
    announce('AnnounceFailed', 'zpl.link.failed', 'Failed'),
    succeed('Done'),
    fail(
      'Failed',
      'Link.ProvisionFailed',
      "The private link was not provisioned; the Report step's output names the failing step, its code and message.",
    ),
  ],
};
