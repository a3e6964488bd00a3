/** The statuses an execution ends in (FnF DescribeExecution `Status`); kept apart from the client so readers need not load its action table. */
export const FINISHED_STATUSES = new Set(['Succeeded', 'Failed', 'Stopped', 'TimedOut']);
