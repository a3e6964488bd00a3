import { describe, expect, it } from 'vitest';
import { DEMO } from '../../local/emulators/fixtures.ts';
import { linkId } from '../../shared/derived.ts';
import { ensureDns } from '../../shared/steps/ensure-dns.ts';
import { removeDns } from '../../shared/steps/remove-dns.ts';
import { teardownPlan } from '../../shared/steps/teardown-plan.ts';
import { FAST, OTHER_VPC, seedWith, spec, start, worlds, ZONE_NAME } from './support.ts';

/**
 * Which PrivateZone zones and records are zpl's: marked `zpl.link.<linkId>` (PrivateZone refuses
 * `zpl:link=…`, Zone.Remark), the old form still recognised, anyone else's never taken for ours.
 */

const open = worlds();
const RR = `${DEMO.clusterId}-privatelink`;
const s = spec();
const LEGACY = `zpl:link=${linkId(s)}`;

describe('PrivateZone ownership marks', () => {
  it('a new zone and its record are marked zpl.link.<linkId>, a remark PrivateZone accepts', async () => {
    const w = await open({ timings: FAST });
    await w.provisionThrough('EnsureDns', s);
    const [zone] = [...w.emu.world.zones.values()];
    expect(zone!.remark).toBe(`zpl.link.${linkId(s)}`);
    expect(zone!.records.map((r) => r.remark)).toEqual([`zpl.link.${linkId(s)}`]);
    expect(zone!.remark).toMatch(/^[0-9A-Za-z_\-,.]{1,50}$/);
  });

  it('a zone and record marked in the old form (zpl:link=…) are still ours: the record is corrected, the zone re-marked, and teardown removes both', async () => {
    const seed = seedWith((x) => {
      x.accounts![0]!.zones = [
        {
          zoneName: ZONE_NAME,
          proxyPattern: 'RECORD',
          remark: LEGACY,
          records: [{ rr: RR, type: 'CNAME', value: 'old-endpoint.example.com', ttl: 60, remark: LEGACY }],
        },
      ];
    });
    const w = await open({ seed, timings: FAST });
    const state = await w.provisionThrough('CheckConnection', s);
    const { state: next } = await w.call(ensureDns, s, state);
    const zones = [...w.emu.world.zones.values()];
    expect(zones).toHaveLength(1);
    expect(zones[0]!.remark).toBe(`zpl.link.${linkId(s)}`);
    expect(zones[0]!.records.map((r) => `${r.rr} ${r.value}`)).toEqual([`${RR} ${state.endpointDomain}`]);
    expect(next.changes.filter((c) => c.step === 'EnsureDns').map((c) => `${c.action} ${c.resource}`)).toEqual([
      'unchanged private zone',
      'updated CNAME record',
      'bound private zone to VPC',
    ]);

    const { state: planned } = await w.call(teardownPlan, s, start(s));
    expect(planned.teardown!.zones).toEqual([
      { zoneId: zones[0]!.zoneId, zoneName: ZONE_NAME, ours: true, bindingOurs: true, rrs: [`${DEMO.clusterId}-privatelink`] },
    ]);
    await w.settle(removeDns, s, planned);
    expect(w.emu.world.zones.size).toBe(0);
  });

  // Changed with zones per VPC (issue 14): a zone of that name bound to no VPC is no longer taken, whoever's it is: another
  // link's may be about to be bound to that link's VPC, and an unmarked one is a user's. The link makes its own.
  it("an unmarked zone of that name bound to no VPC, and another link's, are never taken: the link makes its own, and teardown removes only that", async () => {
    const seed = seedWith((x) => {
      x.accounts![0]!.zones = [
        { zoneName: ZONE_NAME, proxyPattern: 'RECORD', remark: 'zpl.link.zpl-000000000000', bindings: [], records: [] },
        { zoneName: ZONE_NAME, proxyPattern: 'RECORD', bindings: [], records: [] },
      ];
    });
    const w = await open({ seed, timings: FAST });
    const state = await w.provisionThrough('CheckConnection', s);
    const { state: next } = await w.call(ensureDns, s, state);
    const [otherLinks, unmarked, ours] = [...w.emu.world.zones.values()];
    expect(otherLinks!.bindings).toEqual([]);
    expect(unmarked!.bindings).toEqual([]);
    expect(unmarked!.remark).toBeUndefined();
    expect(ours!.bindings.map((b) => b.vpcId)).toEqual([DEMO.vpcId]);
    expect(ours!.remark).toBe(`zpl.link.${linkId(s)}`);
    expect(next.changes.find((c) => c.resource === 'private zone')).toMatchObject({ action: 'created', id: ours!.zoneId });

    const { state: planned } = await w.call(teardownPlan, s, start(s));
    expect(planned.teardown!.zones).toEqual([
      { zoneId: ours!.zoneId, zoneName: ZONE_NAME, ours: true, bindingOurs: true, rrs: [`${DEMO.clusterId}-privatelink`] },
    ]);
    await w.settle(removeDns, s, planned);
    expect([...w.emu.world.zones.keys()]).toEqual([otherLinks!.zoneId, unmarked!.zoneId]);
  });
});

describe('bindings kept as found', () => {
  const PEER = '5555000011112222';
  const EDS_VPC = 'vpc-bp1eds0000000000001';
  const PEER_VPC = 'vpc-bp1peer000000000001';
  /**
   * Our zone, which someone also bound to a cloud-desktop (EDS) VPC, another account's VPC and another VPC of
   * theirs (none with a zpl link), while our VPC's binding was dropped by hand. Changed with zones per VPC
   * (issue 14): it was someone else's zone, which zpl no longer binds to its VPC; the binding merge is the same.
   */
  const crossAccountSeed = () =>
    seedWith((x) => {
      x.accounts!.push({
        accountId: PEER,
        accessKeys: [{ accessKeyId: 'LTAI5tPeerAccount000001', accessKeySecret: 'peer' }],
        vpcs: [
          { vpcId: EDS_VPC, regionId: 'cn-hangzhou', cidrBlock: '172.20.0.0/16', vpcType: 'EDS' },
          { vpcId: PEER_VPC, regionId: 'cn-hangzhou', cidrBlock: '172.21.0.0/16' },
        ],
      });
      x.accounts![0]!.vpcs!.push({ vpcId: OTHER_VPC, regionId: 'cn-hangzhou', cidrBlock: '172.16.0.0/16', vSwitches: [] });
      x.accounts![0]!.zones = [
        {
          zoneName: ZONE_NAME,
          proxyPattern: 'RECORD',
          remark: `zpl.link.${linkId(s)}`,
          bindings: [
            { vpcId: EDS_VPC, regionId: 'cn-hangzhou' },
            { vpcId: PEER_VPC, regionId: 'cn-hangzhou' },
            { vpcId: OTHER_VPC, regionId: 'cn-hangzhou' },
          ],
          records: [],
        },
      ];
    });
  const theirs = [
    { vpcId: EDS_VPC, regionId: 'cn-hangzhou', vpcType: 'EDS', vpcUserId: PEER },
    { vpcId: PEER_VPC, regionId: 'cn-hangzhou', vpcType: 'STANDARD', vpcUserId: PEER },
    { vpcId: OTHER_VPC, regionId: 'cn-hangzhou', vpcType: 'STANDARD', vpcUserId: DEMO.accountId },
  ];

  it('binding our VPC re-sends every binding with its VpcType, so an EDS and a cross-account binding survive', async () => {
    const w = await open({ seed: crossAccountSeed(), timings: FAST });
    const state = await w.provisionThrough('CheckConnection', s);
    const mark = w.mark();
    await w.call(ensureDns, s, state);
    const [zone] = [...w.emu.world.zones.values()];
    expect(zone!.bindings).toEqual([
      ...theirs,
      { vpcId: DEMO.vpcId, regionId: 'cn-hangzhou', vpcType: 'STANDARD', vpcUserId: DEMO.accountId },
    ]);
    const bind = w.callsSince(mark).filter((c) => c.action === 'BindZoneVpc');
    expect(bind.map((c) => (c.params as { Vpcs: { VpcType?: string }[] }).Vpcs.map((v) => v.VpcType))).toEqual([
      ['EDS', 'STANDARD', 'STANDARD', 'STANDARD'],
    ]);
  });

  it('teardown removes only our binding; the EDS and cross-account ones stay as they were', async () => {
    const w = await open({ seed: crossAccountSeed(), timings: FAST });
    await w.provisionThrough('EnsureDns', s);
    const { state: planned } = await w.call(teardownPlan, s, start(s));
    await w.settle(removeDns, s, planned);
    const [zone] = [...w.emu.world.zones.values()];
    expect(zone!.bindings).toEqual(theirs);
  });
});
