import { describe, expect, it } from 'vitest';
import { seedProvisionedLinks } from '../local/emulators/bulk-links.ts';
import { applyHandEdit } from '../local/emulators/hand-edits.ts';
import { measureDrift } from '../bench/drift-scale.ts';
import { demoSpec, provision, startTestStack } from './support/provision.ts';

/** The scheduled drift check (timer → drift flow) at a size the suite can afford (the benchmark runs 1,000): cost per link stays flat. */

describe('drift checks at scale', () => {
  it('links written in bulk look exactly like links the flow provisioned', async () => {
    const stack = await startTestStack();
    try {
      const run = await provision(stack, demoSpec());
      const world = stack.emulators.world;
      const flowEp = world.endpoints.get(run.report!.endpoint!.id)!;
      const flowSg = world.securityGroups.get(run.report!.securityGroupId!)!;
      const [bulkSpec] = seedProvisionedLinks(world, 1);
      const bulkEp = [...world.endpoints.values()].find((e) => e.vpcId === bulkSpec!.vpcId)!;
      const bulkSg = [...world.securityGroups.values()].find((g) => g.vpcId === bulkSpec!.vpcId)!;
      const shape = (tags: { Key: string; Value: string }[]) => tags.map((t) => t.Key).sort();
      expect(shape(bulkEp.tags)).toEqual(shape(flowEp.tags));
      expect(shape(bulkSg.tags)).toEqual(shape(flowSg.tags));
      expect(bulkSg.rules.map((r) => `${r.IpProtocol} ${r.PortRange} ${r.SourceCidrIp}`).sort()).toEqual(
        flowSg.rules.map((r) => `${r.IpProtocol} ${r.PortRange} ${r.SourceCidrIp}`).sort(),
      );
    } finally {
      await stack.stop();
    }
  });

  it('40 clean links: nothing drifted, about four calls per link, under latency and throttling', async () => {
    const r = await measureDrift(40, { latencyMs: 5, throttleProbability: 0.05 });
    expect(r.status).toBe('Succeeded');
    expect(r.drifted).toBe(0);
    expect(r.links).toBe(40);
    expect(r.callsPerLink).toBeGreaterThanOrEqual(4);
    expect(r.callsPerLink).toBeLessThan(6);
  });

  it('40 links, three edited by hand: exactly those three are reported, each for its reason', async () => {
    const r = await measureDrift(40, {
      before: (emu) => {
        const eps = [...emu.world.endpoints.values()].sort((a, b) => a.vpcId.localeCompare(b.vpcId));
        const zoneOf = (vpcId: string) => [...emu.world.zones.values()].find((z) => z.bindings.some((b) => b.vpcId === vpcId))!;
        applyHandEdit(emu.world, { op: 'deleteRecord', zoneId: zoneOf(eps[3]!.vpcId).zoneId, rr: zoneOf(eps[3]!.vpcId).records[0]!.rr });
        applyHandEdit(emu.world, { op: 'unbindZone', zoneId: zoneOf(eps[17]!.vpcId).zoneId, vpcId: eps[17]!.vpcId });
        applyHandEdit(emu.world, { op: 'removeEndpointZone', endpointId: eps[29]!.endpointId, zoneId: 'cn-hangzhou-h' });
      },
    });
    expect(r.drifted).toBe(3);
    const drifted = r
      .report!.links.filter((l) => !l.clean)
      .map((l) => [l.vpcId, l.findings.map((f) => f.kind)])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(drifted).toEqual([
      ['vpc-bp1bulk0000000000003', ['dns.record_missing']],
      ['vpc-bp1bulk0000000000017', ['dns.zone_unbound']],
      ['vpc-bp1bulk0000000000029', ['endpoint.zone_lost']],
    ]);
  });
});
