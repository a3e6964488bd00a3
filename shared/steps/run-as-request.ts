import type { LinkSpec } from '../spec.ts';

/** A run of a spec with `assumeRole`: every step acts as that role, in its account (shared/steps/run-as.ts). */
export interface RunAs {
  roleArn: string;
  externalId?: string;
  /** The execution's name: the session name, and the key of the session cache. */
  execution: string;
}

export const runAsOf = (spec: Pick<LinkSpec, 'assumeRole'>, execution: string): RunAs | undefined =>
  spec.assumeRole ? { roleArn: spec.assumeRole.arn, externalId: spec.assumeRole.externalId, execution } : undefined;
