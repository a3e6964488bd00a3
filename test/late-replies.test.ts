import { afterEach, describe, expect, it } from 'vitest';
import { applyLink } from '../cli/apply.ts';
import { stackTarget } from '../cli/target.ts';
import { PROVISION_FLOW, TEARDOWN_FLOW } from '../shared/flows.ts';
import { requireLinkSpec } from '../shared/spec.ts';
import type { SecurityGroup } from '../local/emulators/alibaba/ecs/model.ts';
import type { Stack } from '../local/stack.ts';
import { callName } from './support/calls.ts';
import { demoSpec, finish, startTestStack } from './support/provision.ts';
import { empty, provisioned, shape } from './support/world-shape.ts';

/**
 * Late replies across runs (issue 14, item 4): a create whose reply comes after the client gave up
 * is the same create to the link's next run (ClientTokens last the link's lifetime, not one
 * execution), and whatever duplicates exist anyway are swept; teardown removes every group.
 */

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

const HOUR = 3_600_000;

async function run(s: Stack, flow = PROVISION_FLOW) {
  const { execution } = await applyLink(stackTarget(s.file), requireLinkSpec(demoSpec()), {
    flow,
    follow: false,
    json: true,
    write: () => {},
  });
  return finish(s, execution.Name, flow);
}

/** A second group of the link as a late create leaves it: the same tags, no rules, created at `createdAt`. */
const copyOf = (sg: SecurityGroup, id: string, createdAt: number): SecurityGroup => ({
  ...sg,
  securityGroupId: id,
  tags: sg.tags.map((t) => ({ ...t })),
  rules: [],
  createdAt,
});

const creates = (s: Stack) => s.emulators.calls.calls.filter((c) => callName(c) === 'CreateSecurityGroup');

describe('late replies across runs', () => {
  it('CreateSecurityGroup answering slower than the client waits, then a re-run: one group, and teardown leaves none', async () => {
    stack = await startTestStack();
    // Every CreateSecurityGroup of the first run is applied an hour late: its client times out
    // (20 s an attempt), retries until the step's budget is spent, and the run fails.
    stack.emulators.faults.add({ target: 'Ecs.CreateSecurityGroup', kind: 'latency', latencyMs: HOUR });
    const first = await run(stack);
    expect(first.rec.status).toBe('Failed');
    expect(first.report?.failed).toMatchObject({ step: 'EnsureSecurityGroup', code: 'Timeout' });
    expect(stack.emulators.world.securityGroups.size).toBe(0);
    stack.emulators.faults.clear();

    // The next run creates before the first run's creates land.
    const second = await run(stack);
    expect(second.report?.failed).toBeUndefined();
    expect(second.rec.status).toBe('Succeeded');
    // Let the first run's creates land (emulated time skips to them once everything is idle).
    await stack.emulators.clock.sleep(2 * HOUR);
    const applied = creates(stack).filter((c) => c.ok);
    expect(applied.length).toBeGreaterThan(1);
    // One token for both runs (the old tokens named the execution, so each run's create was new).
    expect(new Set(applied.map((c) => c.params?.ClientToken)).size).toBe(1);
    expect(shape(stack)).toEqual(provisioned);

    const torn = await run(stack, TEARDOWN_FLOW);
    expect(torn.report?.failed).toBeUndefined();
    expect(shape(stack)).toEqual(empty);
  });

  it('two groups of the link (one from an older late create): the next run keeps the one the endpoint is in, teardown deletes all', async () => {
    stack = await startTestStack();
    expect((await run(stack)).rec.status).toBe('Succeeded');
    const world = stack.emulators.world;
    const [used] = [...world.securityGroups.values()];
    // An older group of the link, as a late create under an execution-named token left it: older, yet not the one in use.
    const orphan = 'sg-bp1orphan0000000000001';
    world.securityGroups.set(orphan, copyOf(used!, orphan, used!.createdAt - HOUR));
    const again = await run(stack);
    expect(again.report?.failed).toBeUndefined();
    expect([...world.securityGroups.keys()]).toEqual([used!.securityGroupId]);
    expect(again.report?.changes).toContainEqual(
      expect.objectContaining({
        action: 'deleted',
        resource: 'duplicate security group',
        id: orphan,
        note: expect.stringContaining(`kept ${used!.securityGroupId} (the one endpoint`),
      }),
    );

    world.securityGroups.set(orphan, copyOf(used!, orphan, world.now()));
    expect(world.securityGroups.size).toBe(2);
    const torn = await run(stack, TEARDOWN_FLOW);
    expect(torn.report?.failed).toBeUndefined();
    // Was: teardown deleted the first group it found and left the other with its rules.
    expect(shape(stack)).toEqual(empty);
  });

  it('a link torn down and provisioned again is a new lifetime: new create tokens, one create call each', async () => {
    stack = await startTestStack();
    expect((await run(stack)).rec.status).toBe('Succeeded');
    expect((await run(stack, TEARDOWN_FLOW)).report?.failed).toBeUndefined();
    const mark = creates(stack).length;
    const again = await run(stack);
    expect(again.rec.status).toBe('Succeeded');
    const [before, after] = [creates(stack).slice(0, mark), creates(stack).slice(mark)];
    expect(after).toHaveLength(1);
    expect(after[0]!.params?.ClientToken).not.toBe(before[0]!.params?.ClientToken);
    expect(JSON.parse(stack.engine.engine.describeExecution(PROVISION_FLOW, again.rec.name).input)).toMatchObject({ lifetime: 1 });
    expect(shape(stack)).toEqual(provisioned);
  });
});
