import { afterEach, describe, expect, it } from 'vitest';
import { linkId } from '../shared/derived.ts';
import { requireLinkSpec } from '../shared/spec.ts';
import type { DriftReport } from '../shared/drift/types.ts';
import { DEMO } from '../local/emulators/fixtures.ts';
import type { Stack } from '../local/stack.ts';
import { drift, edit } from './support/drift.ts';
import { demoSpec, finish, provision, startTestStack } from './support/provision.ts';
import { allowlistProjects, clusterOf, linkSpec, manyLinksSeed, vpcOf, zonesInWorld } from './support/vpcs.ts';

/**
 * Drift and zones per VPC (issue 14), through the drift flow: a record zpl owns that the spec no
 * longer lists, a zone zpl made bound to a VPC whose link did not ask for it, a record sending a VPC
 * to another VPC's endpoint; each found, remediated, and the next check clean.
 */

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

/** Runs the remediation executions a drift check started, each to success. */
async function remediated(s: Stack) {
  const { report, remediation } = await drift(s, true);
  for (const r of remediation ?? []) {
    const run = await finish(s, r.result.execution!);
    expect(run.report?.failed).toBeUndefined();
    expect(run.rec.status).toBe('Succeeded');
  }
  return report;
}

const kinds = (report: DriftReport, id: string) => report.links.find((l) => l.linkId === id)?.findings.map((f) => f.kind) ?? [];

describe('drift and zones per VPC', () => {
  it('a record zpl owns that the spec no longer lists is found (dns.record_unlisted); remediation removes it; the next check is clean', async () => {
    stack = await startTestStack();
    const run = await provision(stack, demoSpec());
    const zoneId = run.report!.dnsZoneId!;
    const id = linkId(requireLinkSpec(demoSpec()));
    // What a run that recorded a shorter cluster list and then failed in DNS leaves: the dropped cluster's record.
    await edit(stack, {
      op: 'addRecord',
      zoneId,
      rr: `${DEMO.secondClusterId}-privatelink`,
      type: 'CNAME',
      value: run.report!.endpoint!.domain!,
      remark: `zpl.link.${id}`,
    });
    const found = await remediated(stack);
    expect(kinds(found, id)).toEqual(['dns.record_unlisted']);
    expect(stack.emulators.world.zones.get(zoneId)!.records.map((r) => r.rr)).toEqual([`${DEMO.clusterId}-privatelink`]);
    expect((await drift(stack)).report.drifted).toBe(0);
  });

  it('a zone an older zpl shared between two link VPCs, and a record sending a VPC to the other endpoint, are found; remediation gives each VPC its own zone; the next check is clean', async () => {
    stack = await startTestStack({ seed: manyLinksSeed({ vpcs: 2, projects: 2 }) });
    allowlistProjects(stack.emulators.world, 2);
    const a = await provision(stack, linkSpec(0, 0));
    const c = await provision(stack, linkSpec(1, 1));
    expect([a.rec.status, c.rec.status]).toEqual(['Succeeded', 'Succeeded']);
    const idA = linkId(requireLinkSpec(linkSpec(0, 0)));
    const idC = linkId(requireLinkSpec(linkSpec(1, 1)));
    const zoneA = a.report!.dnsZoneId!;
    const zoneC = c.report!.dnsZoneId!;
    expect(zonesInWorld(stack.emulators.world).map((z) => z.vpcs)).toEqual([[vpcOf(0)], [vpcOf(1)]]);
    // The state an older zpl left: C's VPC bound to A's zone (C's own zone dropped), C's record in A's zone too.
    await edit(stack, { op: 'unbindZone', zoneId: zoneC, vpcId: vpcOf(1) });
    await edit(stack, { op: 'bindZone', zoneId: zoneA, vpcId: vpcOf(1) });
    await edit(stack, {
      op: 'addRecord',
      zoneId: zoneA,
      rr: `${clusterOf(1)}-privatelink`,
      type: 'CNAME',
      value: c.report!.endpoint!.domain!,
      remark: `zpl.link.${idC}`,
    });
    const before = (await drift(stack)).report;
    // Reported on the link whose VPC A's zone is bound to unasked, the one whose next run moves; A's VPC keeps its zone.
    expect(kinds(before, idA)).toEqual([]);
    expect(kinds(before, idC)).toEqual(['dns.zone_shared']);
    expect(before.links.find((l) => l.linkId === idC)!.findings[0]!.detail).toMatch(
      /this link's next run moves vpc-bp1multi000000000001 to a zone of its own/,
    );

    await remediated(stack);
    // C moved back to its own zone (bound again, as its spare) with its record; A's zone serves A's VPC alone.
    expect(zonesInWorld(stack.emulators.world)).toEqual([
      expect.objectContaining({
        zoneId: zoneA,
        vpcs: [vpcOf(0)],
        records: [`${clusterOf(0)}-privatelink → ${a.report!.endpoint!.domain}`],
      }),
      expect.objectContaining({
        zoneId: zoneC,
        vpcs: [vpcOf(1)],
        records: [`${clusterOf(1)}-privatelink → ${c.report!.endpoint!.domain}`],
      }),
    ]);
    expect((await drift(stack)).report.drifted).toBe(0);

    // A record sending A's VPC to C's endpoint, in a zone serving A's VPC alone: found, removed, clean.
    await edit(stack, {
      op: 'addRecord',
      zoneId: zoneA,
      rr: 'stray',
      type: 'CNAME',
      value: c.report!.endpoint!.domain!,
      remark: `zpl.link.${idC}`,
    });
    const stray = await remediated(stack);
    expect(kinds(stray, idA)).toEqual(['dns.record_foreign']);
    expect(stack.emulators.world.zones.get(zoneA)!.records.map((r) => r.rr)).toEqual([`${clusterOf(0)}-privatelink`]);
    expect((await drift(stack)).report.drifted).toBe(0);
  });
});
