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
/** Where a reader of an execution's history goes on from (CloudFlowApi.historySince): the token is built from it. */
export interface HistoryCursor {
  lastEventId: number;
}
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

  /**
   * The events after `cursor` (all of them without one), and the cursor to read on from: the
   * page's NextToken while there is one, then the last event's ID. GetExecutionHistory's token
   * "以返回的ScheduleEventId作为下次查询的Token；无数据时，该字段不返回" (fnf metadata) is an event
   * ID and is absent once the history is read to its end, so a follower resumes from the last
   * event it has. Events at or before that ID are dropped, so a service that starts the next page
   * at the token's event, or after it, reads the same; one that refuses the token is read whole.
   */
  async historySince(
    flowName: string,
    executionName: string,
    cursor?: HistoryCursor,
  ): Promise<{ events: HistoryEvent[]; cursor: HistoryCursor }> {
    const after = cursor?.lastEventId ?? 0;
    const page = (NextToken: string | undefined) =>
      this.rpc.call('fnf', 'GetExecutionHistory', this.region, {
        FlowName: flowName,
        ExecutionName: executionName,
        NextToken,
        Limit: 1000,
      });
    const events: HistoryEvent[] = [];
    let token = after > 0 ? String(after) : undefined;
    for (;;) {
      let r: Awaited<ReturnType<typeof page>>;
      try {
        r = await page(token);
      } catch (e) {
        if (token === undefined || !isAliyunError(e, 'InvalidArgument')) throw e;
        const all = await this.history(flowName, executionName, after);
        return { events: all, cursor: { lastEventId: all.at(-1)?.EventId ?? after } };
      }
      events.push(...r.Events.filter((x) => x.EventId > after && x.EventId > (events.at(-1)?.EventId ?? 0)));
      if (!r.NextToken) break;
      token = r.NextToken;
    }
    return { events, cursor: { lastEventId: events.at(-1)?.EventId ?? after } };
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
