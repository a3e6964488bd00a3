import { afterEach, describe, expect, it } from 'vitest';
import { PROVISION_FLOW } from '../shared/flows.ts';
import { DEMO } from '../local/emulators/fixtures.ts';
import type { HandEdit } from '../local/emulators/hand-edits.ts';
import type { Stack } from '../local/stack.ts';
import { drift, edit } from './support/drift.ts';
import { demoSpec, finish, provision, startTestStack } from './support/provision.ts';

/** Drift: each kind of hand edit is found with the right reason; a clean link reports nothing; remediation restores. */

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

async function linked() {
  const s = await startTestStack();
  const run = await provision(s, demoSpec());
  expect(run.rec.status).toBe('Succeeded');
  const r = run.report!;
  return { s, ep: r.endpoint!.id, sg: r.securityGroupId!, zone: r.dnsZoneId!, rr: `${DEMO.clusterId}-privatelink` };
}

describe('drift checks', () => {
  it('a clean link reports nothing and announces nothing', async () => {
    const { s } = await linked();
    stack = s;
    const { report } = await drift(s);
    // Clean links are counted, not listed: the report is flow state and stays O(1) in links.
    expect(report.checked).toBe(1);
    expect(report.links).toEqual([]);
    expect(report.drifted).toBe(0);
    expect(s.edge.published.filter((e) => e.type === 'zpl.drift.detected')).toEqual([]);
  });

  const cases: [string, (ids: { ep: string; sg: string; zone: string; rr: string }) => HandEdit, string][] = [
    [
      'a security-group rule revoked',
      ({ sg }) => ({ op: 'revokeRule', securityGroupId: sg, protocol: 'TCP', sourceCidr: '10.0.0.0/16' }),
      'sg.rule_missing',
    ],
    [
      'a rule widened to the world',
      ({ sg }) => ({ op: 'addRule', securityGroupId: sg, protocol: 'TCP', portRange: '19530/19530', sourceCidr: '0.0.0.0/0' }),
      'sg.rule_widened',
    ],
    [
      'a port range widened',
      ({ sg }) => ({ op: 'addRule', securityGroupId: sg, protocol: 'TCP', portRange: '1/65535', sourceCidr: '10.0.0.0/16' }),
      'sg.rule_widened',
    ],
    ['the record deleted', ({ zone, rr }) => ({ op: 'deleteRecord', zoneId: zone, rr }), 'dns.record_missing'],
    ['the record disabled', ({ zone, rr }) => ({ op: 'disableRecord', zoneId: zone, rr }), 'dns.record_disabled'],
    [
      'the record pointed elsewhere',
      ({ zone, rr }) => ({ op: 'pointRecord', zoneId: zone, rr, value: 'elsewhere.example.com' }),
      'dns.record_elsewhere',
    ],
    ['the zone unbound from the VPC', ({ zone }) => ({ op: 'unbindZone', zoneId: zone, vpcId: DEMO.vpcId }), 'dns.zone_unbound'],
    ['the recursive proxy switched off', ({ zone }) => ({ op: 'setProxy', zoneId: zone, proxyPattern: 'ZONE' }), 'dns.proxy_changed'],
    [
      'the registration removed at Zilliz',
      ({ ep }) => ({ op: 'deregister', projectId: DEMO.projectId, endpointId: ep }),
      'zilliz.registration_missing',
    ],
    ['an endpoint zone removed', ({ ep }) => ({ op: 'removeEndpointZone', endpointId: ep, zoneId: 'cn-hangzhou-j' }), 'endpoint.zone_lost'],
    ['the endpoint busy (not Active)', ({ ep }) => ({ op: 'lockEndpoint', endpointId: ep, forMs: 3600_000 }), 'endpoint.not_active'],
    ['the endpoint deleted', ({ ep }) => ({ op: 'deleteEndpoint', endpointId: ep }), 'endpoint.missing'],
  ];

  it.each(cases)('%s is found (%s)', async (_what, make, kind) => {
    const l = await linked();
    stack = l.s;
    await edit(l.s, make(l));
    const { report } = await drift(l.s);
    expect(report.drifted).toBe(1);
    expect(report.links[0]!.findings.map((f) => f.kind)).toContain(kind);
    const event = l.s.edge.published.find((e) => e.type === 'zpl.drift.detected');
    expect(event).toMatchObject({
      subject: report.links[0]!.linkId,
      data: { findings: expect.arrayContaining([expect.objectContaining({ kind })]) },
    });
  });

  it('remediation re-runs the provision flow: a deleted record and a dropped binding come back, nothing else is touched', async () => {
    const l = await linked();
    stack = l.s;
    await edit(l.s, { op: 'deleteRecord', zoneId: l.zone, rr: l.rr });
    await edit(l.s, { op: 'unbindZone', zoneId: l.zone, vpcId: DEMO.vpcId });
    const before = { endpoints: l.s.emulators.world.endpoints.size, groups: l.s.emulators.world.securityGroups.size };
    const { remediation } = await drift(l.s, true);
    const execution = remediation![0]!.result.execution!;
    expect(execution).toMatch(/^zpl-[0-9a-f]{12}-p\d{4}$/);
    const run = await finish(l.s, execution);
    expect(run.report?.failed).toBeUndefined();
    expect(run.rec.status).toBe('Succeeded');
    const zone = l.s.emulators.world.zones.get(l.zone)!;
    expect(zone.bindings.map((b) => b.vpcId)).toEqual([DEMO.vpcId]);
    expect(zone.records.map((r) => r.rr)).toEqual([l.rr]);
    expect({ endpoints: l.s.emulators.world.endpoints.size, groups: l.s.emulators.world.securityGroups.size }).toEqual(before);
    expect((await drift(l.s)).report.drifted).toBe(0);
    expect(l.s.engine.engine.listExecutions(PROVISION_FLOW).length).toBe(2);
  });
});
