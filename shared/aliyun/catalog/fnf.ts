import { onFirstUse } from '../../first-use.ts';
import * as z from 'zod/mini';
import { form, int, str, type ActionDef } from './index.ts';

/** CloudFlow (FnF) 2019-03-15: the same transport starts and watches executions. */

const flow = () =>
  z.object({
    RequestId: z.string(),
    Name: z.string(),
    Definition: z.string(),
    Description: z.optional(z.string()),
    Type: z.optional(z.string()),
    LastModifiedTime: z.optional(z.string()),
  });

const execution = () =>
  z.object({
    RequestId: z.string(),
    Name: z.string(),
    FlowName: z.string(),
    Status: z.string(),
    Input: z.optional(z.string()),
    Output: z.optional(z.string()),
    StartedTime: z.string(),
    StoppedTime: z.optional(z.string()),
  });

export const FNF = {
  CreateFlow: {
    write: true,
    params: [
      form('Name', true),
      form('Definition', true),
      form('Description', true),
      form('Type', true),
      form('RoleArn'),
      form('ExecutionMode'),
    ],
    response: /* @__PURE__ */ onFirstUse(() => flow()),
  },
  UpdateFlow: {
    write: true,
    params: [form('Name', true), form('Definition'), form('Description'), form('Type'), form('RoleArn')],
    response: /* @__PURE__ */ onFirstUse(() => flow()),
  },
  DescribeFlow: {
    method: 'GET',
    write: false,
    params: [str('Name', true)],
    response: /* @__PURE__ */ onFirstUse(() => flow()),
  },
  ListFlows: {
    method: 'GET',
    write: false,
    params: [str('NextToken'), int('Limit')],
    response: /* @__PURE__ */ onFirstUse(() =>
      z.object({ RequestId: z.string(), NextToken: z.optional(z.string()), Flows: z.array(z.omit(flow(), { RequestId: true })) }),
    ),
  },
  StartExecution: {
    write: true,
    params: [form('FlowName', true), form('ExecutionName'), form('Input'), form('CallbackFnFTaskToken')],
    response: /* @__PURE__ */ onFirstUse(() => execution()),
  },
  DescribeExecution: {
    method: 'GET',
    write: false,
    params: [str('FlowName', true), str('ExecutionName', true), int('WaitTimeSeconds')],
    response: /* @__PURE__ */ onFirstUse(() => execution()),
  },
  GetExecutionHistory: {
    method: 'GET',
    write: false,
    params: [str('FlowName', true), str('ExecutionName', true), str('NextToken'), int('Limit')],
    response: /* @__PURE__ */ onFirstUse(() =>
      z.object({
        RequestId: z.string(),
        NextToken: z.optional(z.string()),
        Events: z.array(
          z.object({ EventId: z.number(), StepName: z.string(), Type: z.string(), Time: z.string(), EventDetail: z.optional(z.string()) }),
        ),
      }),
    ),
  },
  ListExecutions: {
    method: 'GET',
    write: false,
    params: [str('FlowName', true), str('NextToken'), int('Limit'), str('Status'), str('ExecutionNamePrefix')],
    response: /* @__PURE__ */ onFirstUse(() =>
      z.object({
        RequestId: z.string(),
        NextToken: z.optional(z.string()),
        Executions: z.array(z.omit(execution(), { RequestId: true })),
      }),
    ),
  },
  StopExecution: {
    write: true,
    params: [form('FlowName', true), form('ExecutionName', true), form('Cause'), form('Error')],
    response: /* @__PURE__ */ onFirstUse(() => execution()),
  },
  ReportTaskSucceeded: {
    write: true,
    params: [str('TaskToken', true), form('Output', true)],
    response: /* @__PURE__ */ onFirstUse(() => z.object({ RequestId: z.string(), EventId: z.number() })),
  },
  ReportTaskFailed: {
    write: true,
    params: [str('TaskToken', true), form('Error', true), form('Cause')],
    response: /* @__PURE__ */ onFirstUse(() => z.object({ RequestId: z.string(), EventId: z.number() })),
  },
} satisfies Record<string, ActionDef>;
