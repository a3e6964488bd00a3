import { createHash, randomBytes } from 'node:crypto';
import type { DriftRole } from './roles.ts';

/**
 * The drift runs an API request (`POST /v1/drift-checks`) starts or joins. Runs were once named
 * by the minute, so a second request in the same minute got the first's finished run and its
 * `remediate` was dropped. Now each request starts a run of its own, named after what it asks
 * for and when; a request asking for the same check as a run still in flight joins that run
 * (found by the name's prefix), and an Idempotency-Key names its run outright.
 */

export interface DriftAsk {
  regions: string[];
  remediate: boolean;
  /** Other accounts' roles; a check without any names the same runs as before roles were asked for. */
  roles?: DriftRole[];
}

const normal = (ask: DriftAsk) => ({
  regions: [...new Set(ask.regions)].sort(),
  remediate: ask.remediate,
  ...(ask.roles?.length ? { roles: [...new Set(ask.roles.map((r) => `${r.arn.toLowerCase()}|${r.externalId ?? ''}`))].sort() } : {}),
});

export const sameAsk = (a: DriftAsk, b: DriftAsk) => JSON.stringify(normal(a)) === JSON.stringify(normal(b));

/** Every run of this check (the request's regions and remediate) starts with this. */
export const driftAskPrefix = (ask: DriftAsk) =>
  `drift-api-${createHash('sha256')
    .update(JSON.stringify(normal(ask)))
    .digest('hex')
    .slice(0, 12)}-`;

/** A new run's name: the check's prefix, the time, and a random part, so no two requests share one. */
export const newDriftRunName = (ask: DriftAsk, now: number) =>
  `${driftAskPrefix(ask)}${now.toString(36)}-${randomBytes(4).toString('hex')}`;

/** The run an Idempotency-Key names (execution names allow letters, digits, _ and -). */
export const keyedDriftRunName = (key: string) => `drift-k-${key.replace(/[^A-Za-z0-9_-]/g, '-')}`;
