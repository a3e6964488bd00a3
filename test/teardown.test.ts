import { afterEach, describe, expect, it } from 'vitest';
import { TEARDOWN_FLOW } from '../shared/flows.ts';
import { DEMO, demoSeed } from '../local/emulators/fixtures.ts';
import type { Stack } from '../local/stack.ts';
import { stopAfterTask } from './support/drive.ts';
import { demoSpec, finish, finishFlow, provision, startTestStack } from './support/provision.ts';

/** Teardown: reverse order, only what zpl created, gone counts as done, interrupted runs finish. */

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

let runs = 0;
async function teardown(s: Stack, spec: unknown, removeClusters?: string[]) {
  const name = `teardown-${++runs}`;
  await s.flows.start(TEARDOWN_FLOW, name, { spec, ...(removeClusters ? { removeClusters } : {}) });
  return finish(s, name, TEARDOWN_FLOW);
}

const ZONE = 'ali-cn-hangzhou.vectordb.zilliz.com.cn';
const owned = (s: Stack) => {
  const w = s.emulators.world;
  w.settle();
  return {
    endpoints: w.endpoints.size,
    groups: [...w.securityGroups.values()].filter((g) => g.tags.some((t) => t.Key === 'zpl:link')).length,
    zones: [...w.zones.values()].filter((z) => z.remark?.startsWith('zpl.link.')).length,
    records: [...w.zones.values()].flatMap((z) => z.records).filter((r) => r.remark?.startsWith('zpl.link.')).length,
    registrations: [...w.zilliz.registrations.values()].reduce((n, m) => n + m.size, 0),
  };
};
const none = { endpoints: 0, groups: 0, zones: 0, records: 0, registrations: 0 };

/** Provisions the demo link on a stack with these timings, tears it down, and holds that nothing owned is left; the teardown's calls are returned. */
async function teardownCleanlyWith(timings: NonNullable<Parameters<typeof startTestStack>[0]>['timings']) {
  stack = await startTestStack({ timings });
  expect((await provision(stack, demoSpec())).rec.status).toBe('Succeeded');
  const mark = stack.emulators.calls.calls.length;
  const run = await teardown(stack, demoSpec());
  expect(run.report?.failed).toBeUndefined();
  expect(run.rec.status).toBe('Succeeded');
  expect(owned(stack)).toEqual(none);
  return { run, calls: stack.emulators.calls.calls.slice(mark) };
}

describe('teardown', () => {
  it('removes everything zpl created for a link, in reverse order, and leaves nothing owned', async () => {
    stack = await startTestStack();
    expect((await provision(stack, demoSpec())).rec.status).toBe('Succeeded');
    expect(owned(stack)).toEqual({ endpoints: 1, groups: 1, zones: 1, records: 1, registrations: 1 });
    const run = await teardown(stack, demoSpec());
    expect(run.report?.failed).toBeUndefined();
    expect(run.rec.status).toBe('Succeeded');
    expect(owned(stack)).toEqual(none);
    const order = run
      .report!.changes.filter((c) => c.action === 'deleted' || c.action === 'deregistered' || c.action === 'unbound')
      .map((c) => `${c.action} ${c.resource}`);
    expect(order).toEqual([
      'deleted record',
      'unbound private zone from VPC',
      'deleted private zone',
      'deregistered endpoint',
      'deleted endpoint',
      'deleted security group',
    ]);
  });

  it("removes the endpoint's zones before the endpoint, and polls the group's deletion while the endpoint's ENIs are released", async () => {
    // Zone changes, the deletion and the ENI release each take 2 minutes: longer than the step's in-step wait.
    const { run, calls } = await teardownCleanlyWith({ changeMs: 120_000 });
    const endpointWrites = calls
      .filter((c) => ['RemoveZoneFromVpcEndpoint', 'DeleteVpcEndpoint'].includes(c.action))
      .map((c) => `${c.action}${c.params?.ZoneId ? ` ${c.params.ZoneId}` : ''} ${c.code ?? 'ok'}`);
    expect(endpointWrites).toEqual([
      'RemoveZoneFromVpcEndpoint cn-hangzhou-h ok',
      'RemoveZoneFromVpcEndpoint cn-hangzhou-j ok',
      'DeleteVpcEndpoint ok',
    ]);
    const sgCodes = calls.filter((c) => c.action === 'DeleteSecurityGroup').map((c) => c.code ?? 'ok');
    expect(sgCodes.at(-1)).toBe('ok');
    expect(sgCodes.filter((c) => c === 'DependencyViolation').length).toBeGreaterThan(10);
    // The group's wait went through the flow's Wait loop (more than one DeleteSecurityGroup task).
    expect(run.steps.filter((st) => st === 'DeleteSecurityGroup').length).toBeGreaterThan(1);
    expect(run.steps.filter((st) => st === 'WaitForSecurityGroup').length).toBeGreaterThan(0);
  });

  it('polls the zone deletion through the flow while PrivateZone still answers Zone.VpcExists after the unbinding', async () => {
    // Three minutes of Zone.VpcExists: longer than the step's in-step wait.
    const { run, calls } = await teardownCleanlyWith({ zoneUnbindSettleMs: 180_000 });
    const codes = calls.filter((c) => c.action === 'DeleteZone').map((c) => c.code ?? 'ok');
    expect(codes.at(-1)).toBe('ok');
    expect(codes.slice(0, -1).every((c) => c === 'Zone.VpcExists')).toBe(true);
    expect(run.steps.filter((st) => st === 'RemoveDns').length).toBeGreaterThan(1);
    expect(run.steps.filter((st) => st === 'WaitForZoneDeletion').length).toBeGreaterThan(0);
    // The endpoint is deregistered only once DNS is gone.
    expect(run.steps.indexOf('DeregisterEndpoint')).toBeGreaterThan(run.steps.lastIndexOf('RemoveDns'));
  });

  it('leaves a pre-existing zone (its other records and bindings) and a given security group as found', async () => {
    const seed = demoSeed();
    const account = seed.accounts![0]!;
    account.vpcs!.push({ vpcId: 'vpc-bp1someoneelse000001', regionId: 'cn-hangzhou', cidrBlock: '172.16.0.0/16', vSwitches: [] });
    account.securityGroups = [{ securityGroupId: 'sg-bp1given00000000001', regionId: 'cn-hangzhou', vpcId: DEMO.vpcId, name: 'team-sg' }];
    account.zones = [
      {
        zoneName: ZONE,
        proxyPattern: 'RECORD',
        bindings: [{ vpcId: 'vpc-bp1someoneelse000001', regionId: 'cn-hangzhou' }],
        records: [{ rr: 'legacy', type: 'A', value: '10.9.9.9', ttl: 300 }],
      },
    ];
    stack = await startTestStack({ seed });
    const spec = demoSpec({ securityGroupId: 'sg-bp1given00000000001' });
    expect((await provision(stack, spec)).rec.status).toBe('Succeeded');
    const run = await teardown(stack, spec);
    expect(run.rec.status).toBe('Succeeded');
    const w = stack.emulators.world;
    const zones = [...w.zones.values()];
    expect(zones).toHaveLength(1);
    expect(zones[0]!.records.map((r) => r.rr)).toEqual(['legacy']);
    expect(zones[0]!.bindings.map((b) => b.vpcId)).toEqual(['vpc-bp1someoneelse000001']);
    expect(w.securityGroups.has('sg-bp1given00000000001')).toBe(true);
    expect(owned(stack)).toEqual(none);
  });

  it('removes one cluster: only its record, and the endpoint records the clusters it keeps', async () => {
    stack = await startTestStack();
    const spec = demoSpec({ clusters: [DEMO.clusterId, DEMO.secondClusterId] });
    expect((await provision(stack, spec)).rec.status).toBe('Succeeded');
    const run = await teardown(stack, spec, [DEMO.secondClusterId]);
    expect(run.rec.status).toBe('Succeeded');
    expect(owned(stack)).toEqual({ endpoints: 1, groups: 1, zones: 1, records: 1, registrations: 1 });
    const ep = [...stack.emulators.world.endpoints.values()][0]!;
    expect(ep.tags).toEqual(expect.arrayContaining([{ Key: 'zpl:clusters', Value: DEMO.clusterId }]));
    expect([...stack.emulators.world.zones.values()][0]!.records.map((r) => r.rr)).toEqual([`${DEMO.clusterId}-privatelink`]);
  });

  it('a cluster that is not part of the link is refused before anything is removed', async () => {
    stack = await startTestStack();
    expect((await provision(stack, demoSpec())).rec.status).toBe('Succeeded');
    const run = await teardown(stack, demoSpec(), ['in01-00000000000000aa']);
    expect(run.rec.status).toBe('Failed');
    expect(run.report!.failed).toMatchObject({ step: 'TeardownPlan', code: 'Teardown.UnknownCluster' });
    expect(owned(stack)).toEqual({ endpoints: 1, groups: 1, zones: 1, records: 1, registrations: 1 });
  });

  it.each(['RemoveDns', 'DeregisterEndpoint', 'DeleteEndpoint'])(
    'a teardown stopped after %s, run again, finishes cleanly',
    async (step) => {
      stack = await startTestStack();
      expect((await provision(stack, demoSpec())).rec.status).toBe('Succeeded');
      const cut = stopAfterTask(stack.engine.engine, TEARDOWN_FLOW, 'cut', step);
      await stack.flows.start(TEARDOWN_FLOW, 'cut', { spec: demoSpec() });
      await cut;
      expect((await finishFlow(stack, TEARDOWN_FLOW, 'cut')).status).toBe('Stopped');
      const run = await teardown(stack, demoSpec());
      expect(run.report?.failed).toBeUndefined();
      expect(run.rec.status).toBe('Succeeded');
      expect(owned(stack)).toEqual(none);
    },
  );

  it('tearing down what is already gone succeeds and deletes nothing', async () => {
    stack = await startTestStack();
    const run = await teardown(stack, demoSpec());
    expect(run.rec.status).toBe('Succeeded');
    expect(run.report!.changes.filter((c) => c.action === 'deleted')).toEqual([]);
  });
});
