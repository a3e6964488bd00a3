import { describe, expect, it } from 'vitest';
import { DEMO } from '../../local/emulators/fixtures.ts';
import { planLink } from '../../shared/plan.ts';
import { ensureDns } from '../../shared/steps/ensure-dns.ts';
import { FAST, host, spec, worlds, writes } from './support.ts';

/** Removals are part of converging (issue 14, item 1): a cluster dropped from the spec loses its record on apply, and only zpl's. */

const open = worlds();
const RR2 = `${DEMO.secondClusterId}-privatelink`;

describe('clusters removed from the spec', () => {
  it("apply deletes the dropped cluster's record, saying what that risks; plan showed it as a removal; a user's record beside it stays", async () => {
    const w = await open({ timings: FAST });
    const both = spec({ clusters: [DEMO.clusterId, DEMO.secondClusterId] });
    const made = await w.provisionThrough('EnsureDns', both);
    await w.deps.aliyun.privateZone.addRecord(
      made.dnsZoneId!,
      { rr: 'manual', type: 'A', value: '10.0.9.9', ttl: 60, remark: '' },
      'by-hand-1',
    );
    const one = spec();

    const plan = await planLink(one, w.deps);
    expect(plan.items.filter((i) => i.action === 'remove')).toEqual([
      {
        action: 'remove',
        resource: 'CNAME record',
        // Plan items also say, for machines, the resource's ID, before and after (Terraform's JSON plan).
        id: host(DEMO.secondClusterId),
        before: { type: 'CNAME', value: made.endpointDomain },
        after: null,
        detail: `${host(DEMO.secondClusterId)} → ${made.endpointDomain}: no longer in the spec`,
        risk: `${host(DEMO.secondClusterId)} then resolves in the VPC as it does publicly (the recursive proxy), no longer through this link's endpoint`,
      },
    ]);

    const mark = w.mark();
    const { state } = await w.call(ensureDns, one, made, { execution: 'exec-2' });
    expect(writes(w.callsSince(mark))).toEqual(['DeleteZoneRecord']);
    const zone = w.emu.world.zones.get(made.dnsZoneId!)!;
    expect(zone.records.map((r) => r.rr).sort()).toEqual([`${DEMO.clusterId}-privatelink`, 'manual']);
    expect(zone.bindings.map((b) => b.vpcId)).toEqual([DEMO.vpcId]);
    expect(state.changes.filter((c) => c.action === 'deleted')).toEqual([
      expect.objectContaining({
        step: 'EnsureDns',
        resource: 'CNAME record',
        note: expect.stringMatching(
          new RegExp(`^${host(DEMO.secondClusterId)}: no longer in the spec; .* as it does publicly \\(the recursive proxy\\)`),
        ),
      }),
    ]);
    // Converged: nothing left to remove, a further run writes nothing.
    expect((await planLink(one, w.deps)).items.filter((i) => i.action === 'remove')).toEqual([]);
    const again = w.mark();
    await w.call(ensureDns, one, made, { execution: 'exec-3' });
    expect(writes(w.callsSince(again))).toEqual([]);
  });

  it("a record of the dropped cluster's name that zpl did not make is never removed", async () => {
    const w = await open({ timings: FAST });
    const made = await w.provisionThrough('EnsureDns', spec());
    await w.deps.aliyun.privateZone.addRecord(
      made.dnsZoneId!,
      { rr: RR2, type: 'CNAME', value: 'elsewhere.example.com', ttl: 60, remark: '' },
      'by-hand-2',
    );
    const mark = w.mark();
    await w.call(ensureDns, spec(), made, { execution: 'exec-2' });
    expect(writes(w.callsSince(mark))).toEqual([]);
    expect(
      w.emu.world.zones
        .get(made.dnsZoneId!)!
        .records.map((r) => r.rr)
        .sort(),
    ).toEqual([`${DEMO.clusterId}-privatelink`, RR2]);
  });

  it("the cluster-zone layout: the dropped cluster's own zone is emptied, unbound and deleted", async () => {
    const w = await open({ timings: FAST });
    const both = spec({ clusters: [DEMO.clusterId, DEMO.secondClusterId], dnsLayout: 'cluster-zone' });
    const made = await w.provisionThrough('EnsureDns', both);
    expect([...w.emu.world.zones.values()].map((z) => z.zoneName).sort()).toEqual(
      [host(DEMO.clusterId), host(DEMO.secondClusterId)].sort(),
    );
    const one = spec({ dnsLayout: 'cluster-zone' });
    const mark = w.mark();
    const { state } = await w.call(ensureDns, one, made, { execution: 'exec-2' });
    expect(writes(w.callsSince(mark))).toEqual(['DeleteZoneRecord', 'BindZoneVpc', 'DeleteZone']);
    expect([...w.emu.world.zones.values()].map((z) => ({ name: z.zoneName, vpcs: z.bindings.map((b) => b.vpcId) }))).toEqual([
      { name: host(DEMO.clusterId), vpcs: [DEMO.vpcId] },
    ]);
    expect(state.changes.filter((c) => c.resource === 'private zone' && c.action === 'deleted')).toEqual([
      expect.objectContaining({ note: `${host(DEMO.secondClusterId)}: no longer in the spec` }),
    ]);
  });

  it('nothing else in the VPC: a zone of another name zpl did not make is never read for removals', async () => {
    const w = await open({ timings: FAST });
    const made = await w.provisionThrough('EnsureDns', spec());
    const theirs = w.emu.world.pvtz.addZone(DEMO.accountId, {
      zoneName: 'corp.example.com',
      proxyPattern: 'ZONE',
      bindings: [{ vpcId: DEMO.vpcId, regionId: DEMO.region, vpcType: 'STANDARD', vpcUserId: DEMO.accountId }],
    });
    const mark = w.mark();
    await w.call(ensureDns, spec(), made, { execution: 'exec-2' });
    expect(w.callsSince(mark).filter((c) => c.action === 'DescribeZoneRecords' && c.params?.ZoneId === theirs.zoneId)).toEqual([]);
  });
});
