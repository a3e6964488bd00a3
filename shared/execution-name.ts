import { createHash } from 'node:crypto';
import { linkId, stableJson } from './derived.ts';
import type { LinkSpec } from './spec.ts';

/**
 * Execution names come from the request: a ticket or idempotency key when there is one, else
 * the spec's digest. CloudFlow returns the running execution for a name already running, so a
 * duplicate request joins it instead of starting a second run.
 */
export function executionName(spec: LinkSpec, requestKey?: string): string {
  if (requestKey) {
    const clean = requestKey.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 80);
    const digest = createHash('sha256').update(requestKey).digest('hex').slice(0, 8);
    return `k-${clean}-${digest}`;
  }
  return `s-${linkId(spec)}-${createHash('sha256').update(stableJson(spec)).digest('hex').slice(0, 10)}`;
}

/** A fresh name for a spec whose earlier execution already finished (a deliberate re-run). */
export const rerunName = (name: string, now = Date.now()) => `${name.slice(0, 110)}-r${now.toString(36)}`;
