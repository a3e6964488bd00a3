import { afterEach, describe, expect, it } from 'vitest';
import { applyLink } from '../cli/apply.ts';
import { stackTarget } from '../cli/target.ts';
import { DRIFT_FLOW } from '../shared/flows.ts';
import { planLink, type PlanItem } from '../shared/plan.ts';
import { requireLinkSpec } from '../shared/spec.ts';
import type { DriftReport } from '../shared/drift/types.ts';
import { DEMO, demoSeed } from '../local/emulators/fixtures.ts';
import type { HandEdit } from '../local/emulators/hand-edits.ts';
import type { Stack } from '../local/stack.ts';
import { demoSpec, finish, finishFlow, startTestStack } from './support/provision.ts';
import { provisioned, shape } from './support/world-shape.ts';

/**
 * Removals are part of converging (issue 14, item 1), end to end as a user drives it: `zpl plan`
 * (planLink), `zpl apply` (applyLink, which names the run and passes the link's lifetime) and
 * `zpl drift` (the drift flow) against the local stack, counting what the emulated clouds hold.
 */

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

const H = { zoneId: 'cn-hangzhou-h' };
const J = { zoneId: 'cn-hangzhou-j' };
const K = { zoneId: 'cn-hangzhou-k' };

/** The demo world with a third zone's vSwitch in the VPC. */
function threeZones() {
  const seed = demoSeed();
  seed.accounts![0]!.vpcs![0]!.vSwitches!.push({
    vSwitchId: 'vsw-bp1demok000000000001',
    zoneId: 'cn-hangzhou-k',
    cidrBlock: '10.0.3.0/24',
  });
  return seed;
}

async function apply(s: Stack, over: Record<string, unknown> = {}) {
  const { execution } = await applyLink(stackTarget(s.file), requireLinkSpec(demoSpec(over)), {
    follow: false,
    json: true,
    write: () => {},
  });
  return finish(s, execution.Name);
}

const plan = (s: Stack, over: Record<string, unknown> = {}) => planLink(requireLinkSpec(demoSpec(over)), stackTarget(s.file).deps());
const changes = (items: PlanItem[]) => items.filter((i) => ['create', 'update', 'remove'].includes(i.action));

let drifts = 0;
async function drift(s: Stack, remediate = false) {
  const name = `drift-conv-${++drifts}`;
  await s.flows.start(DRIFT_FLOW, name, { regions: [DEMO.region], remediate });
  const rec = await finishFlow(s, DRIFT_FLOW, name);
  expect(rec.status).toBe('Succeeded');
  return JSON.parse(rec.output!) as { report: DriftReport; remediation?: { result: { execution?: string } }[] };
}

const edit = async (s: Stack, e: HandEdit) =>
  expect(
    (await fetch(`${s.file.adminUrl}/edits`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(e) }))
      .status,
  ).toBe(200);

const group = (s: Stack) => [...s.emulators.world.securityGroups.values()][0]!;
const endpoint = (s: Stack) => [...s.emulators.world.endpoints.values()][0]!;
const rules = (s: Stack) =>
  group(s)
    .rules.map((r) => `${r.IpProtocol} ${r.PortRange} ${r.SourceCidrIp}`)
    .sort();
/** A rule added by hand on zpl's own group: every TCP port, from anywhere. */
const worldOpen = (s: Stack): HandEdit => ({
  op: 'addRule',
  securityGroupId: group(s).securityGroupId,
  protocol: 'TCP',
  portRange: '1/65535',
  sourceCidr: '0.0.0.0/0',
});
const tagValue = (tags: { Key: string; Value: string }[], key: string) => tags.find((t) => t.Key === key)?.Value;

describe('converging removes what the spec no longer asks for', () => {
  it('narrowed sources and a new port: plan shows the revocation and who it cuts off; apply revokes, records the new state; drift is clean', async () => {
    stack = await startTestStack();
    expect((await apply(stack)).rec.status).toBe('Succeeded');
    // A rule added by hand on zpl's own group, and the cluster moved to another port.
    await edit(stack, worldOpen(stack));
    for (const c of stack.emulators.world.zilliz.clusters.values()) c.port = 19531;
    const narrowed = { allowedCidrs: ['10.0.1.0/24'], port: 19531 };

    const before = await plan(stack, narrowed);
    const revoke = before.items.find((i) => i.action === 'remove' && i.resource === 'security group rules')!;
    expect(revoke.detail).toMatch(/revoke .*TCP 19530\/19530 from 10\.0\.0\.0\/16.*TCP 1\/65535 from 0\.0\.0\.0\/0/);
    expect(revoke.risk).toMatch(/cut off .*TCP 19531 from 10\.0\.1\.0\/24/);
    expect(revoke.risk).toMatch(/added by hand.*TCP 1\/65535 from 0\.0\.0\.0\/0/);
    expect(before.items).toContainEqual(
      expect.objectContaining({
        action: 'update',
        resource: 'security group',
        detail: expect.stringMatching(/add TCP 19531\/19531 from 10\.0\.1\.0\/24/),
      }),
    );
    expect(before.items).toContainEqual(
      expect.objectContaining({
        action: 'update',
        resource: 'security group tags',
        detail: expect.stringMatching(/zpl:cidrs=10\.0\.1\.0\/24.*zpl:port=19531/),
      }),
    );

    const run = await apply(stack, narrowed);
    expect(run.report?.failed).toBeUndefined();
    expect(run.rec.status).toBe('Succeeded');
    expect(rules(stack)).toEqual(['ICMP -1/-1 10.0.1.0/24', 'TCP 19531/19531 10.0.1.0/24']);
    expect([tagValue(group(stack).tags, 'zpl:cidrs'), tagValue(group(stack).tags, 'zpl:port')]).toEqual(['10.0.1.0/24', '19531']);
    expect(shape(stack)).toEqual(provisioned);
    // Was: zpl's own new rule reported as sg.rule_widened, and remediation re-adding TCP 19531 from 10.0.0.0/16.
    expect((await drift(stack)).report.drifted).toBe(0);
    expect(changes((await plan(stack, narrowed)).items)).toEqual([]);
  });

  it('a hand-added rule to the world and a zone added by hand: drift reports both; remediation converges and a check right after is clean', async () => {
    stack = await startTestStack({ seed: threeZones() });
    expect((await apply(stack)).rec.status).toBe('Succeeded');
    await edit(stack, worldOpen(stack));
    await edit(stack, {
      op: 'addRule',
      securityGroupId: group(stack).securityGroupId,
      protocol: 'UDP',
      portRange: '53/53',
      sourceCidr: '10.0.0.0/16',
    });
    await edit(stack, { op: 'addEndpointZone', endpointId: endpoint(stack).endpointId, zoneId: 'cn-hangzhou-k' });
    const { report, remediation } = await drift(stack, true);
    expect(report.links[0]!.findings.map((f) => f.kind).sort()).toEqual(['endpoint.zone_extra', 'sg.rule_extra', 'sg.rule_widened']);
    const run = await finish(stack, remediation![0]!.result.execution!);
    expect(run.report?.failed).toBeUndefined();
    expect(run.rec.status).toBe('Succeeded');
    // Was: remediation reported Succeeded with the hand-added rule still there.
    expect((await drift(stack)).report.drifted).toBe(0);
    expect(rules(stack)).toEqual(['ICMP -1/-1 10.0.0.0/16', 'TCP 19530/19530 10.0.0.0/16']);
    expect(
      endpoint(stack)
        .zones.map((z) => z.zoneId)
        .sort(),
    ).toEqual(['cn-hangzhou-h', 'cn-hangzhou-j']);
    expect(shape(stack)).toEqual(provisioned);
  });

  it('a zone dropped from the spec: plan shows it going and what that stops; apply removes it; drift is clean', async () => {
    stack = await startTestStack({ seed: threeZones() });
    expect((await apply(stack, { zones: [H, J, K] })).rec.status).toBe('Succeeded');
    const eni = endpoint(stack).zones.find((z) => z.zoneId === 'cn-hangzhou-k')!.eniIp;
    const items = (await plan(stack, { zones: [H, J] })).items;
    // Was: "0 changes", the endpoint kept (and billed) the zone, and drift said clean.
    expect(changes(items).map((i) => `${i.action} ${i.resource}`)).toEqual([
      'update security group tags',
      'remove endpoint zone',
      'update endpoint tags',
    ]);
    expect(items).toContainEqual({
      action: 'remove',
      resource: 'endpoint zone',
      // Plan items also say, for machines, the resource's ID, before and after (Terraform's JSON plan).
      id: endpoint(stack).endpointId,
      before: { zones: [H.zoneId, J.zoneId, K.zoneId] },
      after: { zones: [H.zoneId, J.zoneId] },
      detail: `${endpoint(stack).endpointId}: remove cn-hangzhou-k (ENI ${eni})`,
      risk: expect.stringContaining(`stops its billing and releases its ENI ${eni}`),
    });
    // Both resources record the zones (zpl:zones).
    for (const resource of ['security group tags', 'endpoint tags'])
      expect(items.find((i) => i.resource === resource)?.detail).toMatch(/zpl:zones=cn-hangzhou-h,cn-hangzhou-j/);
    const run = await apply(stack, { zones: [H, J] });
    expect(run.report?.failed).toBeUndefined();
    expect(
      endpoint(stack)
        .zones.map((z) => z.zoneId)
        .sort(),
    ).toEqual(['cn-hangzhou-h', 'cn-hangzhou-j']);
    expect(run.report?.changes).toContainEqual(
      expect.objectContaining({ action: 'removed', resource: 'endpoint zones', note: `removed cn-hangzhou-k (ENI ${eni} released)` }),
    );
    expect((await drift(stack)).report.drifted).toBe(0);
    expect(shape(stack)).toEqual(provisioned);
  });

  it('ten tags replaced by ten others: both resources carry exactly the new ones (never more than 20), and drift is clean', async () => {
    stack = await startTestStack();
    const tags = (prefix: string) => Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`${prefix}${i}`, `v${i}`]));
    expect((await apply(stack, { tags: tags('old') })).rec.status).toBe('Succeeded');
    // Was: tags only accumulated, and PrivateLink refused the 21st (QuotaExceed.TagsPerResource) on every later run.
    const run = await apply(stack, { tags: tags('new') });
    expect(run.report?.failed).toBeUndefined();
    expect(run.rec.status).toBe('Succeeded');
    for (const resource of [group(stack), endpoint(stack)]) {
      const user = resource.tags.filter((t) => !t.Key.startsWith('zpl:'));
      expect(Object.fromEntries(user.map((t) => [t.Key, t.Value]))).toEqual(tags('new'));
      expect(resource.tags.length).toBeLessThanOrEqual(20);
    }
    expect((await drift(stack)).report.drifted).toBe(0);
  });
});
