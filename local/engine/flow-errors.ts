/**
 * An error inside an execution, named as CloudFlow names them: `FC.<ErrorCode>` for Function
 * Compute failures, `FnF.*` for the engine's own (timeouts, limits, unsupported actions), or
 * the `Code` of a Fail state. Retry and Catch match on `code`; `FnF.ALL` matches any.
 */
export class FlowError extends Error {
  constructor(
    readonly code: string,
    readonly detail: string,
    /** Ends the execution at once: no Retry or Catch applies (limits, a stop, a timeout of the execution). */
    readonly fatal = false,
  ) {
    super(`${code}: ${detail}`);
  }
}

export const FLOW_ERRORS = {
  taskTimeout: (state: string, seconds: number) =>
    new FlowError('FnF.Timeout', `state ${state} did not finish within its Timeout of ${seconds}s`),
  unsupportedAction: (action: string) =>
    new FlowError(
      'FnF.UnsupportedAction',
      `the local engine runs Task actions FC:InvokeFunction and EventBridge:PutEvents (RequestComplete) only, not ${action}`,
    ),
  dataLimit: (state: string, what: 'input' | 'output', bytes: number) =>
    new FlowError(
      'FnF.DataLimitExceeded',
      `the ${what} of state ${state} is ${bytes} bytes; CloudFlow allows at most 65536 (64 KiB)`,
      true,
    ),
  eventLimit: () => new FlowError('FnF.EventLimitExceeded', "the execution reached CloudFlow's limit of 5000 events", true),
  invalidInput: (detail: string) => new FlowError('FnF.InvalidInput', detail),
  expression: (path: string, detail: string) => new FlowError('FnF.InvalidExpression', `${path}: ${detail}`),
};

/** Whether a Retry/Catch `Errors` list covers this error. */
export const matches = (errors: string[], code: string) => errors.includes('FnF.ALL') || errors.includes(code);
