import type { Tag } from '../derived.ts';

/**
 * What to untag and what to tag so that one of zpl's own resources carries exactly its desired
 * tags: zpl's recorded desired state (`zpl:*`, spill tags `zpl:clusters-2`… included) and the
 * spec's tags. A `zpl:*` key the desired set lacks is stale (a shrunk list's spill tag, say) and a
 * key of neither kind is a user tag the spec dropped (tags on zpl's resources are desired state;
 * specFromLink reads them back as the spec's). Never touched: keys Alibaba reserves (`aliyun*`,
 * `acs:*`, shared/tag-rules.ts) and the `keep` families another step writes (`zpl:bound` on the
 * endpoint, EnsureDns's). Untag first, then tag: the resource never holds more than the desired
 * tags plus the kept ones, so the 20-tag limit (checked for that set by shared/tag-budget.ts) is
 * never crossed on the way.
 */
const RESERVED = /^(aliyun|acs:)/i;

const inFamily = (key: string, family: string) => key === family || key.startsWith(`${family}-`);

export function tagChanges(have: Tag[], desired: Tag[], keep: readonly string[] = []): { untag: string[]; tag: Tag[] } {
  const wanted = new Set(desired.map((t) => t.Key));
  const untag = have
    .map((t) => t.Key)
    .filter((key) => !wanted.has(key) && !RESERVED.test(key) && !keep.some((family) => inFamily(key, family)));
  const tag = desired.filter((d) => !have.some((h) => h.Key === d.Key && h.Value === d.Value));
  return { untag, tag };
}

/** The changes in words for a step's change note: `untag k1, k2; set zpl:port`. */
export function describeTagChanges(c: { untag: string[]; tag: Tag[] }): string {
  return [c.untag.length ? `untag ${c.untag.join(', ')}` : '', c.tag.length ? `set ${c.tag.map((t) => t.Key).join(', ')}` : '']
    .filter(Boolean)
    .join('; ');
}
