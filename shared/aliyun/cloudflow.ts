import { isAliyunError } from './errors.ts';
import { allByToken } from '../paging.ts';
import type { ActionResponse } from './catalog.ts';
import type { AliyunTransport } from './rpc.ts';
import { FNF } from './catalog/fnf.ts';

/**
 * CloudFlow (FnF 2019-03-15) as the product uses it: deploy a flow, start and watch executions,
 * answer callbacks. The same client drives real CloudFlow and the local engine; only the
 * transport's endpoint differs.
 */

export type Execution = Omit<ActionResponse<'fnf', 'DescribeExecution'>, 'RequestId'>;
export type HistoryEvent = ActionResponse<'fnf', 'GetExecutionHistory'>['Events'][number];
export { FINISHED_STATUSES } from './execution-status.ts';

export class CloudFlowApi {
  constructor(
    private readonly rpc: AliyunTransport,
    private readonly region: string,
  ) {
    rpc.use('fnf', FNF);
  }

  /** Creates the flow, or updates its definition when it exists. */
  async deployFlow(input: { name: string; definition: string; description: string; roleArn?: string }): Promise<'created' | 'updated'> {
    try {
      await this.rpc.call('fnf', 'CreateFlow', this.region, {
        Name: input.name,
        Definition: input.definition,
        Description: input.description,
        Type: 'FDL',
        RoleArn: input.roleArn,
      });
      return 'created';
    } catch (e) {
      if (!isAliyunError(e, 'FlowAlreadyExists')) throw e;
    }
    await this.rpc.call('fnf', 'UpdateFlow', this.region, {
      Name: input.name,
      Definition: input.definition,
      Description: input.description,
      RoleArn: input.roleArn,
    });
    return 'updated';
  }

  describeFlow(name: string) {
    return this.rpc.call('fnf', 'DescribeFlow', this.region, { Name: name });
  }

  /**
   * Starts an execution. CloudFlow de-duplicates by name: the same name while it runs returns
   * the running execution; after it finished, `ExecutionAlreadyExists`.
   */
  async start(flowName: string, executionName: string | undefined, input: unknown): Promise<Execution> {
    const { RequestId: _, ...execution } = await this.rpc.call('fnf', 'StartExecution', this.region, {
      FlowName: flowName,
      ExecutionName: executionName,
      Input: JSON.stringify(input),
    });
    return execution;
  }

  async describe(flowName: string, executionName: string, waitSeconds = 0): Promise<Execution> {
    const { RequestId: _, ...execution } = await this.rpc.call('fnf', 'DescribeExecution', this.region, {
      FlowName: flowName,
      ExecutionName: executionName,
      WaitTimeSeconds: waitSeconds || undefined,
    });
    return execution;
  }

  /** The execution's events with an ID above `afterEventId` (all when 0), read over every page. */
  async history(flowName: string, executionName: string, afterEventId = 0): Promise<HistoryEvent[]> {
    const events = await allByToken(async (NextToken) => {
      const r = await this.rpc.call('fnf', 'GetExecutionHistory', this.region, {
        FlowName: flowName,
        ExecutionName: executionName,
        NextToken,
        Limit: 1000,
      });
      return { items: r.Events, nextToken: r.NextToken };
    });
    return events.filter((e) => e.EventId > afterEventId);
  }

  async list(flowName: string, filter: { status?: string; prefix?: string } = {}): Promise<Execution[]> {
    return allByToken(async (NextToken) => {
      const r = await this.rpc.call('fnf', 'ListExecutions', this.region, {
        FlowName: flowName,
        NextToken,
        Limit: 100,
        Status: filter.status,
        ExecutionNamePrefix: filter.prefix,
      });
      return { items: r.Executions, nextToken: r.NextToken };
    });
  }

  async stop(flowName: string, executionName: string, cause?: string): Promise<Execution> {
    const { RequestId: _, ...execution } = await this.rpc.call('fnf', 'StopExecution', this.region, {
      FlowName: flowName,
      ExecutionName: executionName,
      Cause: cause,
    });
    return execution;
  }

  reportSucceeded(taskToken: string, output: unknown) {
    return this.rpc.call('fnf', 'ReportTaskSucceeded', this.region, { TaskToken: taskToken, Output: JSON.stringify(output) });
  }

  reportFailed(taskToken: string, error: string, cause?: string) {
    return this.rpc.call('fnf', 'ReportTaskFailed', this.region, { TaskToken: taskToken, Error: error, Cause: cause });
  }
}
