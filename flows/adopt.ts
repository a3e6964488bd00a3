import { catchAll, choice, EXECUTION_INPUT, EXECUTION_NAME, fail, fcTask, STEP_RETRY, succeed, type Flow } from './gen/fdl.ts';

/**
 * flows/adopt.yaml, described: Adopt inspects the named existing resources and, when confirmed,
 * marks them as the link's; PlanAdoption says how the link then differs from its spec
 * (shared/adopt/). The report is the execution's output.
 */
const failed = (step: 'Adopt' | 'PlanAdoption') =>
  catchAll('any error ends the run as failed', 'Failed', {
    outcome: 'failed',
    state: null,
    failed: { step, 'code.$': '$Context.Current.Error.Code', 'message.$': '$Context.Current.Error.Detail' },
  });
const reply = { 'outcome.$': '$Output.Body.outcome', 'state.$': '$Output.Body.state', 'failed.$': '$Output.Body.failed' };

export const adopt: Flow = {
  header: [
    'Take existing resources over for a link (started by `zpl adopt` or POST /v1/links/adopt).',
    'Input: {"spec": …, "adopt": {"endpointId", "securityGroupId"?, "zoneId"?, "confirm"}}. Adopt refuses what may not be',
    'adopted and, confirmed, writes the ownership marks; PlanAdoption adds how the link then differs from its spec.',
    'The output is the report (state.adoption). A refusal is a report too; only a step that failed ends in Failed.',
  ],
  name: 'zpl-adopt',
  description: 'Take existing resources over for a Zilliz Cloud private link',
  states: [
    fcTask({
      step: 'Adopt',
      params: { body: { 'input.$': EXECUTION_INPUT, 'execution.$': EXECUTION_NAME } },
      retry: STEP_RETRY,
      catch: [failed('Adopt')],
      output: reply,
      next: 'Adopted',
    }),
    choice('Adopted', [['$Input.outcome == "failed"', 'Failed']], 'PlanAdoption'),
    fcTask({
      step: 'PlanAdoption',
      params: { body: { 'input.$': EXECUTION_INPUT, 'state.$': '$Input.state', 'execution.$': EXECUTION_NAME } },
      retry: STEP_RETRY,
      catch: [failed('PlanAdoption')],
      output: reply,
      next: 'Planned',
    }),
    choice('Planned', [['$Input.outcome == "failed"', 'Failed']], 'Done'),
    succeed('Done'),
    fail('Failed', 'Link.AdoptFailed', "The adoption did not finish; the failing step's output names its code and message. Run it again."),
  ],
};
