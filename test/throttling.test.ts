import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CloudFlowApi } from '../shared/aliyun/cloudflow.ts';
import { AliyunTransport } from '../shared/aliyun/rpc.ts';
import { DEFAULT_RETRY } from '../shared/retry.ts';
import { invocationBudget } from '../shared/steps/invocation-budget.ts';
import { VpcApi } from '../shared/aliyun/vpc.ts';
import { DEMO } from '../local/emulators/fixtures.ts';
import type { Stack } from '../local/stack.ts';
import { startTestEngine, type TestEngine } from './support/engine.ts';
import { demoSpec, provision, startTestStack } from './support/provision.ts';

/**
 * Ten minutes of throttling are survived: the steps retry `Throttling.User` (HTTP 429) until
 * their invocation's budget (s.yaml timeout 720 s less 60 s), where the old fixed count of six
 * attempts gave up after seconds; past the budget the run fails with the provider's code and
 * message. The engine's FnF API throttles too (`ResourceThrottled`, 429).
 */

const MIN = 60_000;
const key = { accessKeyId: DEMO.accessKeyId, accessKeySecret: DEMO.accessKeySecret };

describe('throttling on the Alibaba side, through the whole provision flow', () => {
  // A fresh world each time: a second run would reuse the security group and never call CreateSecurityGroup.
  let stack: Stack;
  beforeEach(async () => {
    stack = await startTestStack();
  });
  afterEach(async () => {
    await stack.stop();
  });

  const creates = () => stack.emulators.calls.calls.filter((c) => c.action === 'CreateSecurityGroup');

  it('a fixed count of attempts (the old policy) gives up on ten minutes of 429 within seconds', async () => {
    stack.emulators.faults.add({
      target: 'DescribeVpcAttribute',
      kind: 'error',
      code: 'Throttling.User',
      httpStatus: 429,
      forMs: 10 * MIN,
    });
    const started = stack.emulators.clock.now();
    const vpc = new VpcApi(
      new AliyunTransport({ endpoint: stack.emulators.alibabaUrl, credentials: key, clock: stack.emulators.clock, retry: DEFAULT_RETRY }),
      DEMO.region,
    );
    await expect(vpc.cidrBlocks(DEMO.vpcId)).rejects.toMatchObject({ code: 'Throttling.User', httpStatus: 429, retryable: true });
    expect(stack.emulators.clock.now() - started).toBeLessThan(MIN);
  });

  it('provisioning survives ten minutes of Throttling.User on CreateSecurityGroup', async () => {
    const added = stack.emulators.clock.now();
    stack.emulators.faults.add({
      target: 'CreateSecurityGroup',
      kind: 'error',
      code: 'Throttling.User',
      httpStatus: 429,
      message: 'Request was denied due to user flow control.',
      forMs: 10 * MIN,
    });
    const run = await provision(stack, demoSpec());
    expect(run.rec.status).toBe('Succeeded');
    expect(creates().filter((c) => c.code === 'Throttling.User').length).toBeGreaterThan(DEFAULT_RETRY.maxAttempts);
    expect(creates().find((c) => c.ok)!.time - added).toBeGreaterThanOrEqual(10 * MIN);
  });

  it('past the step budget the run fails with the provider code and message, not FC.UnhandledInvocationError', async () => {
    stack.emulators.faults.add({
      target: 'CreateSecurityGroup',
      kind: 'error',
      code: 'Throttling.User',
      httpStatus: 429,
      message: 'Request was denied due to user flow control.',
      forMs: 30 * MIN,
    });
    const run = await provision(stack, demoSpec());
    expect(run.rec.status).not.toBe('Succeeded');
    expect(run.report?.failed).toMatchObject({ step: 'EnsureSecurityGroup', code: 'Throttling.User' });
    expect(run.report?.failed?.message).toContain('Request was denied due to user flow control.');
    const history = JSON.stringify(stack.engine.engine.history('zpl-provision', run.rec.name));
    expect(history).not.toContain('UnhandledInvocationError');
  });
});

describe('throttling on the FnF API (the local engine)', () => {
  let t: TestEngine;
  beforeAll(async () => {
    t = await startTestEngine();
    await t.flows.deployFlow({
      name: 'throttled',
      definition:
        'Type: StateMachine\nName: throttled\nSpecVersion: v1\nStartAt: Done\nStates:\n  - Name: Done\n    Type: Pass\n    End: true\n',
      description: 'test',
    });
  });
  afterAll(async () => {
    await t.close();
  });

  const flows = (budget: boolean) =>
    new CloudFlowApi(
      new AliyunTransport({
        endpoint: t.url,
        credentials: key,
        clock: t.clock,
        ...(budget ? { retryBudget: invocationBudget(t.clock, 720) } : {}),
      }),
      DEMO.region,
    );

  it('answers ResourceThrottled with HTTP 429 while throttling, and a fixed count gives up', async () => {
    t.faults.add({ target: 'StartExecution', kind: 'error', forMs: 10 * MIN });
    await expect(flows(false).start('throttled', 'run-old', {})).rejects.toMatchObject({
      code: 'ResourceThrottled',
      httpStatus: 429,
      retryable: true,
    });
    t.faults.clear();
  });

  it('a start retried up to the invocation budget survives ten minutes of ResourceThrottled', async () => {
    t.faults.add({ target: 'StartExecution', kind: 'error', forMs: 10 * MIN });
    const started = t.clock.now();
    await expect(flows(true).start('throttled', 'run-new', {})).resolves.toMatchObject({ Name: 'run-new' });
    expect(t.clock.now() - started).toBeGreaterThanOrEqual(10 * MIN);
    expect(t.calls.filter((a) => a === 'StartExecution').length).toBeGreaterThan(DEFAULT_RETRY.maxAttempts);
  });
});
