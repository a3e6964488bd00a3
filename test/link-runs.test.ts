import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkId } from '../shared/derived.ts';
import { PROVISION_FLOW, TEARDOWN_FLOW } from '../shared/flow-names.ts';
import { startLinkRun } from '../shared/link-runs.ts';
import { parseLinkSpec, type LinkSpec } from '../shared/spec.ts';
import { startTestEngine, type TestEngine } from './support/engine.ts';
import { demoSpec } from './support/provision.ts';

/**
 * Execution names stay collision-free when CloudFlow stops listing old executions (the local
 * engine ages them out of ListExecutions after `listRetentionSeconds`, their names still taken):
 * naming by a count of listed runs would pick a used name and fail with ExecutionAlreadyExists.
 */

const DAY = 86_400;
const flow = (name: string) => `Type: StateMachine
Name: ${name}
SpecVersion: v1
StartAt: Done
States:
  - Name: Done
    Type: Pass
    End: true
`;

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine({ listRetentionSeconds: 7 * DAY });
  for (const name of [PROVISION_FLOW, TEARDOWN_FLOW]) await t.flows.deployFlow({ name, definition: flow(name), description: 'test' });
});
afterAll(async () => {
  await t.close();
});

function spec(vpc: string): LinkSpec {
  const parsed = parseLinkSpec(demoSpec({ vpcId: vpc }));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.spec;
}

async function run(s: LinkSpec, requestKey?: string) {
  const r = await startLinkRun(t.flows, PROVISION_FLOW, s, { spec: s }, requestKey);
  await t.finish(PROVISION_FLOW, r.execution.Name);
  return r;
}

describe('execution names when old runs age out of ListExecutions', () => {
  it('the engine hides aged-out executions from ListExecutions but keeps their names taken', async () => {
    const s = spec('vpc-bp1age000000000000001');
    const first = await run(s);
    t.clock.advance(8 * DAY * 1000);
    expect(await t.flows.list(PROVISION_FLOW, { prefix: `${linkId(s)}-` })).toEqual([]);
    await expect(t.flows.start(PROVISION_FLOW, first.execution.Name, {})).rejects.toMatchObject({
      code: 'ExecutionAlreadyExists',
      httpStatus: 400,
    });
  });

  it('numbers past the highest listed run when older ones aged out (a count would reuse p0003)', async () => {
    const s = spec('vpc-bp1age000000000000002');
    const names = [(await run(s)).execution.Name];
    t.clock.advance(3 * DAY * 1000);
    names.push((await run(s)).execution.Name, (await run(s)).execution.Name);
    t.clock.advance(5 * DAY * 1000); // the first aged out, the other two are listed
    expect((await t.flows.list(PROVISION_FLOW, { prefix: `${linkId(s)}-` })).map((e) => e.Name)).toEqual(names.slice(1));
    const next = await run(s);
    expect(next.joined).toBe(false);
    expect(next.execution.Name).toBe(`${linkId(s)}-p0004`);
    expect(names).not.toContain(next.execution.Name);
  });

  it('probes forward when every earlier run aged out, and a request key finds its run', async () => {
    const s = spec('vpc-bp1age000000000000003');
    const earlier = [(await run(s)).execution.Name, (await run(s)).execution.Name, (await run(s)).execution.Name];
    t.clock.advance(8 * DAY * 1000);
    const keyed = await run(s, 'ticket-42');
    expect(keyed.joined).toBe(false);
    expect(earlier).not.toContain(keyed.execution.Name);
    // n, n+1, n+3: p0001 and p0002 are taken, p0004 is free.
    expect(keyed.execution.Name).toBe(`${linkId(s)}-p0004`);
    const again = await startLinkRun(t.flows, PROVISION_FLOW, s, { spec: s }, 'ticket-42');
    expect(again).toMatchObject({ joined: true, execution: { Name: keyed.execution.Name } });
    // The run after it numbers from the highest listed one.
    expect((await run(s)).execution.Name).toBe(`${linkId(s)}-p0005`);
  });

  it('a redelivered request whose run is no longer listed joins it instead of starting another', async () => {
    // Its run finished and left the list (or had not reached it when the request listed): the
    // name it probes is taken by the run carrying the same request key.
    const s = spec('vpc-bp1age000000000000004');
    const first = await run(s, 'ticket-77');
    t.clock.advance(8 * DAY * 1000);
    const again = await startLinkRun(t.flows, PROVISION_FLOW, s, { spec: s }, 'ticket-77');
    expect(again).toMatchObject({ joined: true, execution: { Name: first.execution.Name } });
    // Another request still gets a run of its own, past the taken name.
    const other = await run(s, 'ticket-78');
    expect(other.joined).toBe(false);
    expect(other.execution.Name).not.toBe(first.execution.Name);
  });
});

describe("a run is told the link's lifetime (how many teardowns ran)", () => {
  const lifetimeOf = async (flow: string, name: string) =>
    (JSON.parse((await t.flows.describe(flow, name)).Input ?? '{}') as { lifetime?: number }).lifetime;

  it('counts the teardowns listed, and falls back when they age out (the steps notice a stale create, create-once.ts)', async () => {
    const s = spec('vpc-bp1life000000000000001');
    const first = await run(s);
    expect(await lifetimeOf(PROVISION_FLOW, first.execution.Name)).toBe(0);
    for (let i = 0; i < 2; i++) {
      const down = await startLinkRun(t.flows, TEARDOWN_FLOW, s, { spec: s });
      expect(await lifetimeOf(TEARDOWN_FLOW, down.execution.Name)).toBe(i);
      await t.finish(TEARDOWN_FLOW, down.execution.Name);
    }
    const third = await run(s);
    expect(await lifetimeOf(PROVISION_FLOW, third.execution.Name)).toBe(2);
    t.clock.advance(8 * DAY * 1000); // every teardown aged out of ListExecutions
    expect(await lifetimeOf(PROVISION_FLOW, (await run(s)).execution.Name)).toBe(0);
  });
});
