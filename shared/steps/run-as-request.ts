import type { LinkSpec } from '../spec.ts';

/**
 * A run of a spec with `assumeRole`: every step acts as that role, in its account
 * (shared/steps/run-as.ts); `execution` names the session and keys the session cache.
 */
export type RunAs = NonNullable<LinkSpec['assumeRole']> & { execution: string };
