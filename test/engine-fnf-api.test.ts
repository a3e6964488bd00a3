import * as fnfSdk from '@alicloud/fnf-2019-03-15';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cjsClass } from '../shared/interop.ts';
import { DEMO } from '../local/emulators/fixtures.ts';
import { startTestEngine, type TestEngine } from './support/engine.ts';

/**
 * The official `@alicloud/fnf-2019-03-15` client (pop-core, V1 HMAC-SHA1) drives the engine's
 * FnF API: create a flow, start, watch and finish an execution, read its history; and it gets
 * FnF's own error codes for what CloudFlow refuses.
 */

type FnfClient = Record<string, (params: object, opts?: object) => Promise<Record<string, unknown>>> & {
  request(action: string, params: object, opts?: object): Promise<Record<string, unknown>>;
};
const Client = cjsClass<new (config: object) => FnfClient>((fnfSdk as { default?: unknown }).default ?? fnfSdk);

let t: TestEngine;
let fnf: FnfClient;
beforeAll(async () => {
  t = await startTestEngine();
  fnf = new Client({ endpoint: t.url, accessKeyId: DEMO.accessKeyId, accessKeySecret: DEMO.accessKeySecret });
});
afterAll(async () => {
  await t.close();
});

const definition = `Type: StateMachine
Name: hello
SpecVersion: v1
StartAt: Greet
States:
  - Name: Greet
    Type: Task
    Action: FC:InvokeFunction
    TaskMode: RequestComplete
    Parameters:
      resourceArn: acs:fc:::functions/echo/LATEST
      invocationType: Sync
      body.$: $Input
    OutputConstructor:
      greeting.$: $Output.Body.event.name
    Next: Pause
  - Name: Pause
    Type: Wait
    Seconds: 5
    End: true
`;

describe('the official FnF client against the local engine', () => {
  it('creates a flow, starts an execution, long-polls it to the end and reads its history', async () => {
    const created = await fnf.createFlow!({ Name: 'hello', Definition: definition, Description: 'greets', Type: 'FDL' });
    expect(created).toMatchObject({ Name: 'hello', Type: 'FDL', Definition: definition, RequestId: expect.any(String) });
    expect(await fnf.describeFlow!({ Name: 'hello' })).toMatchObject({ Name: 'hello', Description: 'greets' });
    expect((await fnf.listFlows!({})).Flows).toEqual(expect.arrayContaining([expect.objectContaining({ Name: 'hello' })]));

    // Time stands still until released, so the run is seen waiting.
    const release = t.clock.hold();
    const started = await fnf.startExecution!({ FlowName: 'hello', ExecutionName: 'greet-1', Input: JSON.stringify({ name: 'zilliz' }) });
    expect(started).toMatchObject({ FlowName: 'hello', Name: 'greet-1', Status: expect.stringMatching(/Starting|Running/) });

    const stillRunning = await fnf.describeExecution!({ FlowName: 'hello', ExecutionName: 'greet-1' });
    expect(stillRunning.Status).toBe('Running');
    // A long poll waits while the clock, released, skips the Wait's 5 s.
    const waited = fnf.describeExecution!({ FlowName: 'hello', ExecutionName: 'greet-1', WaitTimeSeconds: 10 });
    release();
    const done = await waited;
    expect(done).toMatchObject({
      Status: 'Succeeded',
      Output: JSON.stringify({ greeting: 'zilliz' }),
      StartedTime: expect.any(String),
      StoppedTime: expect.any(String),
    });

    const history = await fnf.getExecutionHistory!({ FlowName: 'hello', ExecutionName: 'greet-1', Limit: 3 });
    expect((history.Events as { Type: string }[]).map((e) => e.Type)).toEqual(['ExecutionStarted', 'StepEntered', 'TaskScheduled']);
    const rest = await fnf.getExecutionHistory!({ FlowName: 'hello', ExecutionName: 'greet-1', NextToken: history.NextToken });
    const all = [...(history.Events as { Type: string; EventId: number }[]), ...(rest.Events as { Type: string; EventId: number }[])];
    expect(all.map((e) => e.EventId)).toEqual(all.map((_, i) => i + 1));
    expect(all.at(-1)!.Type).toBe('ExecutionSucceeded');
    expect(rest.NextToken).toBeUndefined();

    const listed = await fnf.listExecutions!({ FlowName: 'hello', Status: 'Succeeded' });
    expect((listed.Executions as { Name: string }[]).map((e) => e.Name)).toEqual(['greet-1']);
  });

  it('answers what CloudFlow refuses with FnF error codes', async () => {
    const code = (p: Promise<unknown>) =>
      p.then(
        () => 'no error',
        (e: { code?: string }) => e.code,
      );
    expect(await code(fnf.describeFlow!({ Name: 'nope' }))).toBe('FlowNotExists');
    expect(await code(fnf.describeExecution!({ FlowName: 'hello', ExecutionName: 'nope' }))).toBe('ExecutionNotExists');
    expect(await code(fnf.createFlow!({ Name: 'hello', Definition: definition, Description: 'again', Type: 'FDL' }))).toBe(
      'FlowAlreadyExists',
    );
    expect(await code(fnf.createFlow!({ Name: 'bad', Definition: 'type: flow\nsteps: []\n', Description: 'legacy', Type: 'FDL' }))).toBe(
      'InvalidArgument',
    );
    expect(await code(fnf.startExecution!({ FlowName: 'hello', ExecutionName: '1-starts-with-digit' }))).toBe('InvalidArgument');
    expect(await code(fnf.startExecution!({ FlowName: 'hello', Input: '[1,2]' }))).toBe('InvalidArgument');
    expect(await code(fnf.reportTaskSucceeded!({ TaskToken: 'hello.none.0', Output: '{}' }))).toBe('InvalidArgument');
    expect(await code(fnf.request('DeleteFlow', { Name: 'hello' }, { method: 'POST' }))).toBe('ActionNotSupported');
    const wrongSecret = new Client({ endpoint: t.url, accessKeyId: DEMO.accessKeyId, accessKeySecret: 'not-the-secret' });
    expect(await code(wrongSecret.describeFlow!({ Name: 'hello' }))).toBe('SignatureNotMatch');
    const unknownKey = new Client({ endpoint: t.url, accessKeyId: 'LTAI5tUnknown000000000', accessKeySecret: 'x' });
    expect(await code(unknownKey.describeFlow!({ Name: 'hello' }))).toBe('InvalidAccessKeyID');
  });

  it('a missing required parameter is MissingRequiredParams (raw request, as the SDK checks its own)', async () => {
    const err = await fnf.request('DescribeFlow', {}).then(
      () => undefined,
      (e: { code?: string; message?: string }) => e,
    );
    expect(err).toMatchObject({ code: 'MissingRequiredParams' });
    expect(err?.message).toMatch(/'Name' must be specified/);
  });
});

describe("the project's CloudFlow client against the local engine", () => {
  it('deploys (create, then update), starts, watches and lists', async () => {
    expect(await t.flows.deployFlow({ name: 'mine', description: 'v1', definition: definition.replace('Name: hello', 'Name: mine') })).toBe(
      'created',
    );
    expect(await t.flows.deployFlow({ name: 'mine', description: 'v2', definition: definition.replace('Name: hello', 'Name: mine') })).toBe(
      'updated',
    );
    expect((await t.flows.describeFlow('mine')).Description).toBe('v2');
    const started = await t.flows.start('mine', 'm-1', { name: 'a' });
    expect(started.Name).toBe('m-1');
    const finished = await t.finish('mine', 'm-1');
    expect(finished.status).toBe('Succeeded');
    const described = await t.flows.describe('mine', 'm-1', 1);
    expect(described.Status).toBe('Succeeded');
    const events = await t.flows.history('mine', 'm-1');
    expect(events.at(-1)!.Type).toBe('ExecutionSucceeded');
    expect((await t.flows.history('mine', 'm-1', events.length - 1)).map((e) => e.Type)).toEqual(['ExecutionSucceeded']);
    expect((await t.flows.list('mine')).map((e) => e.Name)).toEqual(['m-1']);
  });
});
