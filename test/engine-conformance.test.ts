import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, types, type TestEngine } from './support/engine.ts';

/** One small flow per behaviour, run by the local engine through its FnF API. */

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
});
afterAll(async () => {
  await t.close();
});

const head = (name: string, startAt: string, extra = '') => `Type: StateMachine
Name: ${name}
SpecVersion: v1
StartAt: ${startAt}
${extra}States:
`;
const task = (name: string, fn: string, rest: string, body = '      body.$: $Input') => `  - Name: ${name}
    Type: Task
    Action: FC:InvokeFunction
    TaskMode: RequestComplete
    Parameters:
      resourceArn: acs:fc:::functions/${fn}/LATEST
      invocationType: Sync
${body}
${rest}`;
const detail = (events: { Type: string; EventDetail: string }[], type: string) =>
  JSON.parse(events.find((e) => e.Type === type)!.EventDetail);

describe('states and data', () => {
  it('Pass with Input/Output/Global constructors over $Input, $Context and $Global', async () => {
    const { rec, events } = await t.run(
      `${head('pass-constructors', 'Shape')}  - Name: Shape
    Type: Pass
    InputConstructor:
      cluster.$: $Input.cluster
      execution.$: $Context.Execution.Name
      fixed: 42
    GlobalConstructor:
      rememberedCluster.$: $Input.cluster
    OutputConstructor:
      shaped.$: $Input
      state.$: $Context.Current.Name
    Next: Read
  - Name: Read
    Type: Pass
    OutputConstructor:
      fromGlobal.$: $Global.rememberedCluster
      original.$: $Context.Execution.Input.cluster
      previous.$: $Input.shaped.fixed
    End: true
`,
      { cluster: 'in01-a' },
      'constructors-1',
    );
    expect(rec.status).toBe('Succeeded');
    expect(JSON.parse(rec.output!)).toEqual({ fromGlobal: 'in01-a', original: 'in01-a', previous: 42 });
    expect(detail(events, 'StepExited')).toEqual({
      output: { shaped: { cluster: 'in01-a', execution: 'constructors-1', fixed: 42 }, state: 'Shape' },
    });
    expect(types(events)).toEqual([
      'ExecutionStarted',
      'StepEntered:Shape',
      'StepExited:Shape',
      'StepEntered:Read',
      'StepExited:Read',
      'ExecutionSucceeded',
    ]);
  });

  it('Task invokes the handler in functions/<name> as FC does; the reply arrives under $Output.Body', async () => {
    const { rec, events } = await t.run(
      `${head('task-echo', 'Call')}${task('Call', 'echo', '    OutputConstructor:\n      reply.$: $Output.Body\n    End: true')}`,
      { hello: 'world' },
    );
    expect(rec.status).toBe('Succeeded');
    const reply = JSON.parse(rec.output!).reply;
    expect(reply).toMatchObject({
      event: { hello: 'world' },
      eventIsBuffer: true,
      function: 'echo',
      region: 'cn-hangzhou',
      accountId: '1234567890123456',
      hasCredentials: true,
    });
    expect(reply.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(types(events)).toEqual([
      'ExecutionStarted',
      'StepEntered:Call',
      'TaskScheduled:Call',
      'TaskStarted:Call',
      'TaskSucceeded:Call',
      'StepExited:Call',
      'ExecutionSucceeded',
    ]);
    const scheduled = events.find((e) => e.Type === 'TaskScheduled')!;
    expect(events.find((e) => e.Type === 'TaskSucceeded')!.ScheduleEventId).toBe(scheduled.EventId);
  });

  it('Choice takes the first true branch, else Default', async () => {
    const def = `${head('choice', 'Decide')}  - Name: Decide
    Type: Choice
    Branches:
      - Condition: $Input.status == "Active" && $Input.attempt < 40
        Next: Ready
      - Condition: $Input.status in ["Failed", "Rejected"] || !$Input.known
        Next: Broken
    Default: Waiting
  - Name: Ready
    Type: Succeed
  - Name: Broken
    Type: Fail
    Code: Broken
    Detail: it broke
  - Name: Waiting
    Type: Pass
    End: true
`;
    const steps = async (input: unknown) =>
      types((await t.run(def, input)).events).filter((s) => s.startsWith('StepEntered:') && s !== 'StepEntered:Decide');
    expect(await steps({ status: 'Active', attempt: 3, known: true })).toEqual(['StepEntered:Ready']);
    expect(await steps({ status: 'Active', attempt: 40, known: true })).toEqual(['StepEntered:Waiting']);
    expect(await steps({ status: 'Rejected', known: true })).toEqual(['StepEntered:Broken']);
    expect(await steps({ status: 'Creating', known: false })).toEqual(['StepEntered:Broken']);
    // A condition that reads an absent field: CloudFlow documents no answer, so the engine refuses it.
    const absent = await t.run(def, { status: 'Creating' });
    expect(absent.rec.error).toEqual({
      code: 'FnF.InvalidExpression',
      detail: 'Decide: reads $Input.known, which is absent (seed every field a state reads)',
    });
    expect(await steps({ status: 'Creating', known: true })).toEqual(['StepEntered:Waiting']);
  });

  it('Wait sleeps on the shared clock (fixed Seconds and Seconds.$): time skips to each wake-up, no sooner', async () => {
    await t.flows.deployFlow({
      name: 'waits',
      description: 'waits',
      definition: `${head('waits', 'Fixed')}  - Name: Fixed
    Type: Wait
    Seconds: 300
    Next: FromInput
  - Name: FromInput
    Type: Wait
    Seconds.$: $Input.delay
    End: true
`,
    });
    const startedAt = t.clock.now();
    const last = () => (t.engine.store.execution('waits', 'w1') ? types(t.engine.history('waits', 'w1')).at(-1) : undefined);
    const inFixed = t.clock.pauseWhen(() => last() === 'StepEntered:Fixed');
    await t.flows.start('waits', 'w1', { delay: 120 });
    let resume = await inFixed;
    expect([t.engine.describeExecution('waits', 'w1').status, t.clock.now() - startedAt]).toEqual(['Running', 0]);
    const inFromInput = t.clock.pauseWhen(() => last() === 'StepEntered:FromInput');
    resume();
    resume = await inFromInput;
    expect(t.clock.now() - startedAt).toBe(300_000);
    resume();
    const rec = await t.finish('waits', 'w1');
    expect(rec.status).toBe('Succeeded');
    expect(Date.parse(rec.stoppedTime!) - startedAt).toBe(420_000);
  });

  it('a Wait whose Seconds.$ gives more than 300 (or less than 1) fails: Standard mode allows 1 to 300', async () => {
    const def = `${head('wait-range', 'Pause')}  - Name: Pause
    Type: Wait
    Seconds.$: $Input.delay
    End: true
`;
    for (const delay of [301, 0, 1.5]) {
      const { rec } = await t.run(def, { delay });
      expect(rec.error).toMatchObject({ code: 'FnF.InvalidExpression', detail: expect.stringContaining('from 1 to 300 in Standard mode') });
    }
    expect((await t.run(def, { delay: 300 })).rec.status).toBe('Succeeded');
  });

  it('Parallel runs every branch on the same input; output is {Branch0, Branch1}', async () => {
    const { rec } = await t.run(
      `${head('parallel', 'Both')}  - Name: Both
    Type: Parallel
    Branches:
      - StartAt: Left
        States:
          - Name: Left
            Type: Pass
            OutputConstructor:
              side: left
              n.$: $Input.n
            End: true
      - StartAt: Right
        States:
          - Name: Right
            Type: Task
            Action: FC:InvokeFunction
            Parameters:
              resourceArn: acs:fc:::functions/echo/LATEST
              invocationType: Sync
              body.$: $Input
            OutputConstructor:
              side: right
              echoed.$: $Output.Body.event.n
            End: true
    OutputConstructor:
      left.$: $Output.Branch0
      right.$: $Output.Branch1
    End: true
`,
      { n: 7 },
    );
    expect(rec.status).toBe('Succeeded');
    expect(JSON.parse(rec.output!)).toEqual({ left: { side: 'left', n: 7 }, right: { side: 'right', echoed: 7 } });
  });

  it('Map runs the processor per item within MaxConcurrency; output is {Items}', async () => {
    const { rec, events } = await t.run(
      `${head('map', 'Each')}  - Name: Each
    Type: Map
    ItemsPath: $Input.items
    MaxConcurrency: 2
    Processor:
      StartAt: Measure
      States:
        - Name: Measure
          Type: Task
          Action: FC:InvokeFunction
          Parameters:
            resourceArn: acs:fc:::functions/gauge/LATEST
            invocationType: Sync
            body:
              item.$: $Input
          End: true
    End: true
`,
      { items: ['a', 'b', 'c', 'd', 'e'] },
    );
    expect(rec.status).toBe('Succeeded');
    const items = JSON.parse(rec.output!).Items as { Body: { item: string; peak: number } }[];
    expect(items.map((i) => i.Body.item)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(Math.max(...items.map((i) => i.Body.peak))).toBe(2);
    expect(events.filter((e) => e.Type === 'IterationEntered')).toHaveLength(5);
  });

  it('Map fails clearly when ItemsPath is not an array', async () => {
    const { rec } = await t.run(`${head('map-bad', 'Each')}  - Name: Each
    Type: Map
    ItemsPath: $Input.items
    Processor:
      StartAt: I
      States:
        - Name: I
          Type: Pass
          End: true
    End: true
`);
    expect(rec.status).toBe('Failed');
    expect(rec.error).toEqual({
      code: 'FnF.InvalidExpression',
      detail: 'Each: reads $Input.items, which is absent (seed every field a state reads)',
    });
  });
});

describe('errors, retries and catches', () => {
  it('a thrown error becomes FC.UnhandledInvocationError; Catch routes it with its OutputConstructor', async () => {
    const { rec } = await t.run(
      `${head('catch', 'Call')}${task(
        'Call',
        'fail',
        `    Catch:
      - Description: rule
        Errors: [FC.FunctionNotFound]
        Next: Wrong
      - Description: rule
        Errors: [FnF.ALL]
        Next: Handle
        OutputConstructor:
          code.$: $Context.Current.Error.Code
          detail.$: $Context.Current.Error.Detail
          input.$: $Input
    End: true
  - Name: Wrong
    Type: Fail
    Detail: wrong catch
  - Name: Handle
    Type: Pass
    End: true`,
      )}
`,
      { message: 'bad input' },
    );
    expect(rec.status).toBe('Succeeded');
    expect(JSON.parse(rec.output!)).toEqual({
      code: 'FC.UnhandledInvocationError',
      detail: JSON.stringify({ errorMessage: 'bad input', errorType: 'TypeError' }),
      input: { message: 'bad input' },
    });
  });

  it('Retry backs off on the clock (IntervalSeconds × BackoffRate^n, capped by MaxBackoffSeconds) before it succeeds', async () => {
    const { rec, events } = await t.run(
      `${head('retry', 'Call')}${task(
        'Call',
        'flaky',
        `    Retry:
      - Description: rule
        Errors: [FnF.ALL]
        MaxAttempts: 3
        IntervalSeconds: 2
        BackoffRate: 2
        MaxBackoffSeconds: 5
    OutputConstructor:
      attempts.$: $Output.Body.attempts
    End: true`,
      )}
`,
      { key: 'retry-1', failures: 3 },
    );
    expect(rec.status).toBe('Succeeded');
    expect(JSON.parse(rec.output!)).toEqual({ attempts: 4 });
    // From each failure to the next attempt: the back-off alone, on the engine's clock.
    const failed = events.filter((e) => e.Type === 'TaskFailed').map((e) => Date.parse(e.Time));
    const retried = events
      .filter((e) => e.Type === 'TaskScheduled')
      .slice(1)
      .map((e) => Date.parse(e.Time));
    expect(retried.map((s, i) => s - failed[i]!)).toEqual([2000, 4000, 5000]);
    expect(events.filter((e) => e.Type === 'TaskScheduled').map((e) => JSON.parse(e.EventDetail).retryCount)).toEqual([0, 1, 2, 3]);
  });

  it('when retries run out, Catch decides; with no Catch the execution fails with the error', async () => {
    const retryThenCatch = `${head('retry-catch', 'Call')}${task(
      'Call',
      'flaky',
      `    Retry:
      - Description: rule
        Errors: [FnF.ALL]
        MaxAttempts: 1
        IntervalSeconds: 1
    Catch:
      - Description: rule
        Errors: [Some.OtherError]
        Next: Elsewhere
      - Description: rule
        Errors: [FnF.ALL]
        Next: Caught
    End: true
  - Name: Caught
    Type: Pass
    End: true
  - Name: Elsewhere
    Type: Fail
    Code: Wrong.Catch
    Detail: the first matching rule decides`,
    )}
`;
    const caught = await t.run(retryThenCatch, { key: 'rc-1', failures: 5 });
    expect(caught.rec.status).toBe('Succeeded');
    expect(JSON.parse(caught.rec.output!)).toMatchObject({ Code: 'FC.UnhandledInvocationError' });
    expect(caught.events.filter((e) => e.Type === 'TaskFailed')).toHaveLength(2);

    const uncaught = await t.run(`${head('no-catch', 'Call')}${task('Call', 'fail', '    End: true')}\n`, { message: 'nope' });
    expect(uncaught.rec.status).toBe('Failed');
    expect(uncaught.rec.error?.code).toBe('FC.UnhandledInvocationError');
    expect(detail(uncaught.events, 'ExecutionFailed')).toEqual({
      error: 'FC.UnhandledInvocationError',
      cause: JSON.stringify({ errorMessage: 'nope', errorType: 'TypeError' }),
    });
  });

  it('a Fail state ends the execution with its Code and Detail', async () => {
    const { rec, events } = await t.run(`${head('fail-state', 'Stop')}  - Name: Stop
    Type: Fail
    Code: Link.Rejected
    Detail: Zilliz rejected the endpoint
`);
    expect(rec.status).toBe('Failed');
    expect(rec.error).toEqual({ code: 'Link.Rejected', detail: 'Zilliz rejected the endpoint' });
    expect(types(events)).toEqual(['ExecutionStarted', 'StepEntered:Stop', 'StepFailed:Stop', 'ExecutionFailed']);
  });

  it('a missing function is FC.FunctionNotFound; other actions are unsupported, clearly', async () => {
    const missing = await t.run(`${head('missing-fn', 'Call')}${task('Call', 'no-such-function', '    End: true')}\n`);
    expect(missing.rec.error?.code).toBe('FC.FunctionNotFound');
    const other = await t.run(`${head('other-action', 'Call')}  - Name: Call
    Type: Task
    Action: MNS:SendMessage
    End: true
`);
    expect(other.rec.error).toEqual({
      code: 'FnF.UnsupportedAction',
      detail: 'the local engine runs Task actions FC:InvokeFunction and EventBridge:PutEvents (RequestComplete) only, not MNS:SendMessage',
    });
    const foreign = await t.run(
      `${head('foreign-fn', 'Call')}${task('Call', 'echo', '    End: true').replace('acs:fc:::', 'acs:fc:cn-beijing:1234567890123456:')}\n`,
    );
    expect(foreign.rec.error?.code).toBe('FC.FunctionNotFound');
    const unrendered = await t.run(
      `${head('unrendered', 'Call')}${task('Call', 'echo', '    End: true').replace('acs:fc:::', 'acs:fc:$' + '{region}:$' + '{accountId}:')}\n`,
    );
    expect(unrendered.rec.error?.detail).toMatch(/still holds placeholders: render the flow first/);
  });

  it('Task Timeout ends a task that runs too long with FnF.Timeout, which Catch can route', async () => {
    const { rec, events } = await t.run(
      `${head('task-timeout', 'Call')}${task(
        'Call',
        'hang',
        `    Timeout: "10"
    Catch:
      - Description: rule
        Errors: [FnF.ALL]
        Next: TooSlow
        OutputConstructor:
          timedOut.$: $Context.Current.Error.Code == "FnF.Timeout"
    End: true
  - Name: TooSlow
    Type: Pass
    End: true`,
      )}
`,
    );
    expect(rec.status).toBe('Succeeded');
    expect(JSON.parse(rec.output!)).toEqual({ timedOut: true });
    expect(types(events)).toContain('TaskTimedOut:Call');
  });

  it('the execution Timeout ends a long execution as TimedOut', async () => {
    const { rec, events } = await t.run(`${head('exec-timeout', 'Long', 'Timeout: 100\n')}  - Name: Long
    Type: Wait
    Seconds: 300
    End: true
`);
    expect(rec.status).toBe('TimedOut');
    expect(Date.parse(rec.stoppedTime!) - Date.parse(rec.startedTime)).toBe(100_000);
    expect(types(events).at(-1)).toBe('ExecutionTimedOut');
  });
});

describe('callbacks', () => {
  const callbackFlow = (name: string) => `${head(name, 'Ask', '')}  - Name: Ask
    Type: Task
    Action: FC:InvokeFunction
    TaskMode: WaitForCustomCallback
    Timeout: "3600"
    Parameters:
      resourceArn: acs:fc:::functions/reporter/LATEST
      invocationType: Async
      body:
        token.$: $Context.Current.TaskToken
        endpoint.$: $Input.endpoint
        outcome.$: $Input.outcome
    Catch:
      - Description: rule
        Errors: [Ticket.Rejected, FnF.ALL]
        Next: Denied
        OutputConstructor:
          code.$: $Context.Current.Error.Code
    OutputConstructor:
      answer.$: $Output
    End: true
  - Name: Denied
    Type: Pass
    End: true
`;

  it('WaitForCustomCallback pauses until ReportTaskSucceeded with the task token', async () => {
    const { rec, events } = await t.run(callbackFlow('cb-ok'), { endpoint: t.url, outcome: 'succeed' });
    expect(rec.status).toBe('Succeeded');
    expect(JSON.parse(rec.output!)).toEqual({ answer: { approved: true, by: 'reporter' } });
    expect(types(events)).toEqual(expect.arrayContaining(['TaskSubmitted:Ask', 'TaskSucceeded:Ask']));
  });

  it('ReportTaskFailed fails the task with the reported error, which Catch routes', async () => {
    const { rec } = await t.run(callbackFlow('cb-fail'), { endpoint: t.url, outcome: 'fail' });
    expect(JSON.parse(rec.output!)).toEqual({ code: 'Ticket.Rejected' });
  });

  it('a callback that never comes times out', async () => {
    const { rec, events } = await t.run(callbackFlow('cb-timeout'), { endpoint: t.url, outcome: 'ignore' });
    expect(JSON.parse(rec.output!)).toEqual({ code: 'FnF.Timeout' });
    expect(types(events)).toContain('TaskTimedOut:Ask');
  });

  it('WaitForSystemCallback completes with the function result of an async invocation', async () => {
    const { rec, events } = await t.run(
      `${head('system-cb', 'Call')}${task('Call', 'echo', '    OutputConstructor:\n      fn.$: $Output.Body.function\n    End: true').replace('RequestComplete', 'WaitForSystemCallback')}\n`,
    );
    expect(JSON.parse(rec.output!)).toEqual({ fn: 'echo' });
    expect(types(events)).toContain('TaskSubmitted:Call');
  });
});

describe("CloudFlow's limits", () => {
  it('a state output over 64 KiB fails the execution, and no Catch can hide it', async () => {
    const { rec } = await t.run(
      `${head('too-big', 'Call')}${task(
        'Call',
        'big',
        `    Catch:
      - Description: rule
        Errors: [FnF.ALL]
        Next: Never
    End: true
  - Name: Never
    Type: Succeed`,
      )}
`,
      { bytes: 70 * 1024 },
    );
    expect(rec.status).toBe('Failed');
    expect(rec.error?.code).toBe('FnF.DataLimitExceeded');
    expect(rec.error?.detail).toMatch(/output of state Call is \d+ bytes; CloudFlow allows at most 65536/);
  });

  it('just under 64 KiB passes', async () => {
    const { rec } = await t.run(
      `${head('big-ok', 'Call')}${task('Call', 'big', '    OutputConstructor:\n      n.$: $Output.Body.blob\n    End: true')}\n`,
      { bytes: 60 * 1024 },
    );
    expect(rec.status).toBe('Succeeded');
  });

  it('an execution that reaches 5,000 events fails', async () => {
    const { rec, events } = await t.run(
      `${head('event-limit', 'Spin')}  - Name: Spin
    Type: Pass
    Next: Again
  - Name: Again
    Type: Choice
    Branches:
      - Condition: $Input.forever
        Next: Spin
    Default: Done
  - Name: Done
    Type: Succeed
`,
      { forever: true },
    );
    expect(rec.status).toBe('Failed');
    expect(rec.error?.code).toBe('FnF.EventLimitExceeded');
    expect(events).toHaveLength(5001);
  });
});

describe('executions', () => {
  it('the same name while running returns that execution; after it finished, ExecutionAlreadyExists', async () => {
    await t.flows.deployFlow({
      name: 'dedupe',
      description: 'd',
      definition: `${head('dedupe', 'W')}  - Name: W\n    Type: Wait\n    Seconds: 10\n    End: true\n`,
    });
    const first = await t.flows.start('dedupe', 'ticket-42', { n: 1 });
    const again = await t.flows.start('dedupe', 'ticket-42', { n: 2 });
    expect(again.StartedTime).toBe(first.StartedTime);
    expect(again.Input).toBe(JSON.stringify({ n: 1 }));
    await t.finish('dedupe', 'ticket-42');
    await expect(t.flows.start('dedupe', 'ticket-42', { n: 1 })).rejects.toMatchObject({ code: 'ExecutionAlreadyExists', httpStatus: 400 });
  });

  it('StopExecution stops a running execution', async () => {
    await t.flows.deployFlow({
      name: 'stoppable',
      description: 's',
      definition: `${head('stoppable', 'W')}  - Name: W\n    Type: Wait\n    Seconds: 300\n    End: true\n`,
    });
    await t.flows.start('stoppable', 's1', {});
    const stopped = await t.flows.stop('stoppable', 's1', 'operator asked');
    expect(stopped.Status).toBe('Stopped');
    expect(types(t.engine.history('stoppable', 's1')).at(-1)).toBe('ExecutionStopped');
    await expect(t.flows.stop('stoppable', 's1')).rejects.toMatchObject({ code: 'ExecutionAlreadyCompleted' });
  });
});
