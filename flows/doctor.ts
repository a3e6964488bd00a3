import { choice, EXECUTION_INPUT, EXECUTION_NAME, fail, fcTask, STEP_RETRY, succeed, type Flow } from './gen/fdl.ts';

/**
 * flows/doctor.yaml, described: `POST /v1/doctor` runs the doctor's checks here, in a step
 * function, because the API's own role may only start and read flows (deploy/policy.ts): the
 * steps' role holds the reads the checks make. The report is the execution's output.
 */
export const doctor: Flow = {
  header: [
    'Check, reading only, that the account and the Zilliz key can run a link spec (started by POST /v1/doctor).',
    "Input: {\"spec\": …}. Doctor runs zpl doctor's checks under the steps' role, as the spec's assumeRole when it names",
    'one; the output is {outcome, report} (GET /v1/doctor/{execution}). Only a doctor that could not run ends in Failed.',
  ],
  name: 'zpl-doctor',
  description: 'Check, reading only, that the account and the Zilliz key can run a Zilliz Cloud private link',
  states: [
    fcTask({
      step: 'Doctor',
      params: { body: { 'input.$': EXECUTION_INPUT, 'execution.$': EXECUTION_NAME } },
      retry: STEP_RETRY,
      output: { 'outcome.$': '$Output.Body.outcome', 'report.$': '$Output.Body.report', 'failed.$': '$Output.Body.failed' },
      next: 'Checked',
    }),
    choice('Checked', [['$Input.outcome == "failed"', 'Failed']], 'Done'),
    succeed('Done'),
    fail('Failed', 'Doctor.Failed', "The doctor could not run; the Doctor step's output names its code and message."),
  ],
};
