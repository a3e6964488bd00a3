import * as z from 'zod/mini';
import { linkId } from '../../shared/derived.ts';
import { bulkLinkRegion, seedProvisionedLinks } from './bulk-links.ts';
import { DEMO } from './fixtures.ts';
import { applyHandEdit } from './hand-edits.ts';
import type { World } from './world.ts';

/**
 * `POST /__admin/links/bulk`: many provisioned links at once in a running world (the bulk helper
 * the tests and the bench call in process), every `driftEvery`-th one drifted by hand (its DNS
 * record deleted, which the check reports as `dns.record_missing`), so `zpl drift` can be run at
 * fleet scale against `zpl up`.
 */
export const MAX_BULK_LINKS = 50_000;

export const bulkSeedSchema = z.strictObject({
  count: z.int().check(z.minimum(1), z.maximum(MAX_BULK_LINKS)),
  region: z.optional(z.string().check(z.minLength(1))),
  driftEvery: z.optional(z.int().check(z.minimum(1))),
});
export type BulkSeedInput = z.infer<typeof bulkSeedSchema>;

/** The finding each drifted bulk link shows. */
export const BULK_DRIFT_KIND = 'dns.record_missing';

export interface BulkSeeded {
  count: number;
  region: string;
  linkIds: string[];
  drifted: { kind: typeof BULK_DRIFT_KIND; linkIds: string[] };
}

const BULK_VPC = /^vpc-bp1bulk(\d{13})$/;

/** The input checked (a message for a 400 otherwise), then the links written. */
export function bulkSeed(world: World, body: unknown): BulkSeeded | { error: string } {
  const parsed = bulkSeedSchema.safeParse(body);
  if (!parsed.success)
    return { error: `body must be {"count": 1..${MAX_BULK_LINKS}, "region"?, "driftEvery"?: ≥ 1}: ${z.prettifyError(parsed.error)}` };
  const { count, driftEvery } = parsed.data;
  const region = parsed.data.region ?? DEMO.region;
  const where = bulkLinkRegion(world, region);
  if (typeof where === 'string') return { error: where };
  // After the links an earlier batch wrote, so a second call adds links.
  const start = Math.max(0, ...[...world.vpcs.keys()].map((id) => Number(BULK_VPC.exec(id)?.[1] ?? -1) + 1));
  const specs = seedProvisionedLinks(world, count, { region, start });
  const drifted = driftEvery ? specs.filter((_, i) => (i + 1) % driftEvery === 0) : [];
  if (drifted.length > 0) {
    const wanted = new Set(drifted.map((s) => s.vpcId));
    for (const zone of world.zones.values()) {
      const vpc = zone.bindings.find((b) => wanted.has(b.vpcId));
      if (vpc && zone.records[0]) applyHandEdit(world, { op: 'deleteRecord', zoneId: zone.zoneId, rr: zone.records[0].rr });
    }
  }
  return {
    count: specs.length,
    region,
    linkIds: specs.map(linkId),
    drifted: { kind: BULK_DRIFT_KIND, linkIds: drifted.map(linkId) },
  };
}
