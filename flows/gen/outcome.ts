import type { Mapping } from './emit.ts';
import { putEvents } from './events.ts';
import { catchAll, EXECUTION_NAME, fail, fcTask, succeed } from './fdl.ts';
import { outcome } from './link-flow.ts';

/**
 * How a provision run, and each follower of one, answers its requester: the signed callback
 * (Notify), then the outcome event (zpl.link.succeeded / zpl.link.failed) with the execution's
 * own name as its ID, so every requester's event is one of its own. `run` is the expression of
 * the provision run the answer is about; the report in `$Input.report` names the ticket.
 */

/** The outcome event; one that cannot be published does not change the outcome, and says so in the output. */
const announce = (name: string, type: string, run: string, next: string): Mapping =>
  putEvents({
    name,
    id: EXECUTION_NAME,
    type,
    subject: '$Input.report.linkId',
    data: { 'execution.$': run, 'ticketId.$': '$Input.report.ticketId', 'report.$': '$Input.report' },
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

/** Notify → Outcome → AnnounceSucceeded / AnnounceFailed → Done / Failed, reading the report (and `carried`) from `$Input`. */
export const answer = (run: string, notifyBody: Mapping, carried: Mapping = {}): Mapping[] => [
  fcTask({
    step: 'Notify',
    params: { body: { 'execution.$': run, ...notifyBody, 'report.$': '$Input.report' } },
    catch: [
      catchAll('a callback that cannot be delivered does not change the outcome', 'Outcome', { 'report.$': '$Input.report', ...carried }),
    ],
    output: { 'report.$': '$Input.report', ...carried, 'notified.$': '$Output.Body' },
    next: 'Outcome',
  }),
  outcome('AnnounceSucceeded', 'AnnounceFailed'),
  announce('AnnounceSucceeded', 'zpl.link.succeeded', run, 'Done'),
  announce('AnnounceFailed', 'zpl.link.failed', run, 'Failed'),
  succeed('Done'),
  fail(
    'Failed',
    'Link.ProvisionFailed',
    "The private link was not provisioned; the Report step's output names the failing step, its code and message.",
  ),
];
