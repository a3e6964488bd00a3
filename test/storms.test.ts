import { afterEach, describe, expect, it } from 'vitest';
import { FOLLOW_FLOW, TEARDOWN_FLOW } from '../shared/flows.ts';
import type { Stack } from '../local/stack.ts';
import { demoSpec, finish, finishFlow, provision, startTestStack } from './support/provision.ts';
import { empty, provisioned, shape } from './support/world-shape.ts';

/** Many requests at once, and many failures: one run per link, nothing duplicated. */

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

describe('concurrency and storms', () => {
  it('10 simultaneous requests for one link (API, events, CLI) become one run: one endpoint, one group, one record per cluster', async () => {
    stack = await startTestStack();
    const s = stack;
    const { applyLink } = await import('../cli/apply.ts');
    const { stackTarget } = await import('../cli/target.ts');
    const { PROVISION_FLOW } = await import('../shared/flows.ts');
    const { requireLinkSpec } = await import('../shared/spec.ts');
    const spec = demoSpec({ clusters: ['in01-0123456789abcdef', 'in01-fedcba9876543210'] });
    const api = (key?: string) =>
      fetch(`${s.file.edgeUrl}/v1/links`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${s.file.apiToken}`,
          ...(key ? { 'idempotency-key': key } : {}),
        },
        body: JSON.stringify(spec),
      }).then(async (r) => ((await r.json()) as { execution: string }).execution);
    const event = (ticket: string) =>
      fetch(`${s.file.edgeUrl}/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          id: ticket,
          source: 'tickets',
          type: 'zpl.link.requested',
          specversion: '1.0',
          data: { ticketId: ticket, spec },
        }),
      }).then(async (r) => ((await r.json()) as { execution: string }[])[0]!.execution);
    const cli = () =>
      applyLink(stackTarget(s.file), requireLinkSpec(spec), { follow: false, json: true, write: () => undefined }).then(
        (r) => r.execution.Name,
      );
    const names = await Promise.all([api(), api('K-1'), api('K-2'), api(), event('T-1'), event('T-2'), event('T-3'), cli(), cli(), cli()]);
    expect(new Set(names).size).toBe(1);
    expect(s.engine.engine.listExecutions(PROVISION_FLOW)).toHaveLength(1);
    const run = await finish(s, names[0]!);
    expect(run.rec.status).toBe('Succeeded');
    expect({ ...shape(s), rules: undefined }).toEqual({ ...provisioned, records: 2, rules: undefined });
    // Each keyed request that joined is recorded once and answered by its follower; the keyless ones watch the run.
    const keys = ['api:K-1', 'api:K-2', 'ticket:T-1', 'ticket:T-2', 'ticket:T-3'];
    const starter = (JSON.parse(run.rec.input) as { requestKey?: string }).requestKey;
    const followers = s.engine.engine.listExecutions(FOLLOW_FLOW);
    expect(followers.map((f) => (JSON.parse(f.input) as { requestKey: string }).requestKey).sort()).toEqual(
      keys.filter((k) => k !== starter),
    );
    for (const f of followers) expect((await finishFlow(s, FOLLOW_FLOW, f.name)).status).toBe('Succeeded');
  });

  it('a storm of throttling, 5xx and lost replies on 30% of calls: 10 provision-teardown cycles (20 runs) all succeed, nothing duplicated', async () => {
    stack = await startTestStack();
    stack.emulators.faults.add({ target: '*', kind: 'error', code: 'Throttling.User', httpStatus: 429, probability: 0.1 });
    stack.emulators.faults.add({ target: '*', kind: 'error', code: 'ServiceUnavailable', httpStatus: 503, probability: 0.1 });
    stack.emulators.faults.add({ target: '*', kind: 'lostReply', probability: 0.1 });
    for (let cycle = 0; cycle < 10; cycle++) {
      const up = await provision(stack, demoSpec());
      expect(up.report?.failed, `cycle ${cycle} provision`).toBeUndefined();
      expect(shape(stack)).toEqual(provisioned);
      await stack.flows.start(TEARDOWN_FLOW, `storm-${cycle}`, { spec: demoSpec() });
      const down = await finish(stack, `storm-${cycle}`, TEARDOWN_FLOW);
      expect(down.report?.failed, `cycle ${cycle} teardown`).toBeUndefined();
      expect(shape(stack)).toEqual(empty);
    }
    const faulted = stack.emulators.calls.calls.filter((c) => c.fault).length;
    expect(faulted / stack.emulators.calls.calls.length).toBeGreaterThan(0.15);
    // No limit of its own: vitest.config.ts's safety net (wall time) is the same for every test.
  });
});
