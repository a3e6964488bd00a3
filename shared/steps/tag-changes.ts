import type { Tag } from '../derived.ts';
import { noteChange, type LinkState } from './types.ts';

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

/** A state with the changes made noted, and whether anything was changed. */
export type Converged = { state: LinkState; changed: boolean };

/**
 * Makes one resource carry exactly `desired` (plus the `keep` families), untagging first, and
 * notes each change on the state as `untagged <what> tags` / `updated <what> desired-state tags`.
 */
export async function convergeTags(opts: {
  state: LinkState;
  step: string;
  what: string;
  id: string;
  have: Tag[];
  desired: Tag[];
  keep?: readonly string[];
  untag: (keys: string[]) => Promise<void>;
  tag: (tags: Tag[]) => Promise<void>;
}): Promise<Converged> {
  const { untag, tag } = tagChanges(opts.have, opts.desired, opts.keep);
  const { step, id } = opts;
  let next = opts.state;
  if (untag.length > 0) {
    await opts.untag(untag);
    next = noteChange(next, { step, action: 'untagged', resource: `${opts.what} tags`, id, note: untag.join(', ') });
  }
  if (tag.length > 0) {
    await opts.tag(tag);
    const note = tag.map((t) => t.Key).join(', ');
    next = noteChange(next, { step, action: 'updated', resource: `${opts.what} desired-state tags`, id, note });
  }
  return { state: next, changed: untag.length + tag.length > 0 };
}
