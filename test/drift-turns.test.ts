import { describe, expect, it } from 'vitest';
import { MAX_DRIFTED_PER_RUN, thisRunsTurn } from '../shared/drift/check.ts';

// Links that stay drifted (remediation off, or failing) must not hold the per-run window for good.
describe('each drift run takes its own turn over the drifted links', () => {
  const drifted = Array.from({ length: 60 }, (_, i) => ({ linkId: `zpl-${i.toString(16).padStart(12, '0')}` }));
  const runAt = (n: number) => new Date(Date.UTC(2026, 11, 1) + n * 6 * 3600_000).toISOString(); // every 6 hours, as the timer runs
  const windowOf = (n: number) =>
    thisRunsTurn(drifted, runAt(n))
      .slice(0, MAX_DRIFTED_PER_RUN)
      .map((l) => l.linkId);

  it('keeps every link once and the same order for the same run', () => {
    expect(
      thisRunsTurn(drifted, runAt(0))
        .map((l) => l.linkId)
        .sort(),
    ).toEqual(drifted.map((l) => l.linkId).sort());
    expect(windowOf(3)).toEqual(windowOf(3));
  });

  it('a second run announces other links than the first, and two days of runs (8) reach every one of 60', () => {
    expect(windowOf(1)).not.toEqual(windowOf(0));
    const reached = new Set<string>();
    for (let n = 0; n < 4 * 2; n++) for (const id of windowOf(n)) reached.add(id);
    expect(reached.size).toBe(60);
  });
});
