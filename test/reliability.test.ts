import { afterEach, describe, expect, it } from 'vitest';
import { TEARDOWN_FLOW } from '../shared/flows.ts';
import type { Stack } from '../local/stack.ts';
import { callName, isWrite } from './support/calls.ts';
import { demoSpec, finish, finishFlow, provision, startTestStack } from './support/provision.ts';
import { empty, provisioned, shape } from './support/world-shape.ts';

/**
 * Every side-effecting call of provisioning and teardown, with its reply lost (the change is
 * applied, the caller never hears back): the run still converges, with no duplicate.
 */

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

const PROVISION_WRITES = [
  'allowlistAccount',
  'CreateSecurityGroup',
  'AuthorizeSecurityGroup',
  'CreateVpcEndpoint',
  'registerEndpoint',
  'AddZone',
  'UpdateZoneRemark',
  'AddZoneRecord',
  'BindZoneVpc',
];
// RemoveZoneFromVpcEndpoint: the endpoint's zones go before the endpoint (PrivateLink refuses otherwise).
const TEARDOWN_WRITES = [
  'DeleteZoneRecord',
  'BindZoneVpc',
  'DeleteZone',
  'deleteEndpoint',
  'RemoveZoneFromVpcEndpoint',
  'DeleteVpcEndpoint',
  'DeleteSecurityGroup',
];

/**
 * Loses the reply of the first call of `action` that the cloud applies. A call refused first
 * (DeleteSecurityGroup answers DependencyViolation while the endpoint's ENIs linger) changes
 * nothing, so it must not use the fault up.
 */
function loseFirstAppliedReply(s: Stack, action: string): void {
  s.emulators.faults.add({ target: action, kind: 'lostReply' });
  const off = s.emulators.calls.onRecord((c) => {
    if (c.action !== action || c.fault !== 'lostReply') return;
    off();
    s.emulators.faults.clear();
  });
}

describe('lost replies at every side-effecting call', () => {
  it('the lists cover every write the flows make', async () => {
    stack = await startTestStack();
    await provision(stack, demoSpec());
    await stack.flows.start(TEARDOWN_FLOW, 'all-writes', { spec: demoSpec() });
    await finish(stack, 'all-writes', TEARDOWN_FLOW);
    const written = new Set(stack.emulators.calls.calls.filter((c) => c.ok && isWrite(c)).map(callName));
    expect([...written].sort()).toEqual([...new Set([...PROVISION_WRITES, ...TEARDOWN_WRITES])].sort());
  });

  it.each([...PROVISION_WRITES, 'Privatelink.TagResources'])('provisioning converges when the reply to %s is lost', async (action) => {
    stack = await startTestStack();
    const tagging = action === 'Privatelink.TagResources';
    if (tagging) expect((await provision(stack, demoSpec())).rec.status).toBe('Succeeded');
    // Faults name the product where two share the action (ECS's TagResources is called here too).
    stack.emulators.faults.add({ target: action, kind: 'lostReply', count: 1 });
    const run = await provision(stack, demoSpec(tagging ? { tags: { team: 'search' } } : {}));
    expect(run.report?.failed).toBeUndefined();
    expect(run.rec.status).toBe('Succeeded');
    expect(stack.emulators.calls.calls.some((c) => callName(c) === action && c.fault === 'lostReply')).toBe(true);
    expect(shape(stack)).toEqual(provisioned);
  });

  it.each(TEARDOWN_WRITES)('teardown converges when the reply to %s is lost', async (action) => {
    stack = await startTestStack();
    expect((await provision(stack, demoSpec())).rec.status).toBe('Succeeded');
    loseFirstAppliedReply(stack, action);
    await stack.flows.start(TEARDOWN_FLOW, `lost-${action}`, { spec: demoSpec() });
    const run = await finish(stack, `lost-${action}`, TEARDOWN_FLOW);
    expect(run.report?.failed).toBeUndefined();
    expect(run.rec.status).toBe('Succeeded');
    expect(stack.emulators.calls.calls.some((c) => c.action === action && c.fault === 'lostReply')).toBe(true);
    expect(shape(stack)).toEqual(empty);
  });
});

describe('a run killed right after each side-effecting call', () => {
  const killAfter = async (s: Stack, flow: string, name: string, input: unknown, action: string) => {
    const engine = s.engine.engine;
    // The engine stops the execution the moment the emulator has applied the call: the step
    // that made it never reports, and no later state starts.
    const killed = new Promise<void>((resolve) => {
      const off = s.emulators.calls.onRecord((c) => {
        if (!c.ok || c.action !== action) return;
        off();
        engine.stopExecution(flow, name, 'Test.Killed', 'killed after the call');
        resolve();
      });
    });
    await s.flows.start(flow, name, input);
    await killed;
    expect((await finishFlow(s, flow, name)).status).toBe('Stopped');
  };

  it.each(PROVISION_WRITES)('provisioning killed after %s, run again, converges', async (action) => {
    stack = await startTestStack();
    const { PROVISION_FLOW } = await import('../shared/flows.ts');
    await killAfter(stack, PROVISION_FLOW, `kill-${action}`, { spec: demoSpec() }, action);
    const run = await provision(stack, demoSpec());
    expect(run.report?.failed).toBeUndefined();
    expect(shape(stack)).toEqual(provisioned);
  });

  it.each(TEARDOWN_WRITES)('teardown killed after %s, run again, converges', async (action) => {
    stack = await startTestStack();
    expect((await provision(stack, demoSpec())).rec.status).toBe('Succeeded');
    await killAfter(stack, TEARDOWN_FLOW, `kill-${action}`, { spec: demoSpec() }, action);
    await stack.flows.start(TEARDOWN_FLOW, `again-${action}`, { spec: demoSpec() });
    const run = await finish(stack, `again-${action}`, TEARDOWN_FLOW);
    expect(run.report?.failed).toBeUndefined();
    expect(shape(stack)).toEqual(empty);
  });
});
