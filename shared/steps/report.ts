import type { LinkSpec } from '../spec.ts';
import type { Failure, LinkState } from './types.ts';

/** What a provisioning run produced, or why it stopped: the execution's output and the CLI's summary. */
export interface LinkReport {
  ok: boolean;
  /** For the flow's Choice (a string: CloudFlow documents comparisons for strings and numbers). */
  outcome: 'succeeded' | 'failed';
  /** The ticket that asked for the run ('' when none), for the outcome event. */
  ticketId?: string;
  linkId: string;
  projectId: string;
  region: string;
  vpcId: string;
  endpoint?: { id: string; domain?: string; zones: { zoneId: string; ip: string }[] };
  securityGroupId?: string;
  dnsZoneId?: string;
  /** The first records (bounded.ts DETAIL_SAMPLE) and how many the link has: the private zone lists them all. */
  records: { clusterId: string; recordId: number; host: string }[];
  recordCount: number;
  /** The first verified hostnames and how many were verified. */
  verified: NonNullable<LinkState['verified']>;
  unverified?: LinkState['unverified'];
  verifiedCount: number;
  changes: LinkState['changes'];
  failed?: Failure;
}

export function buildReport(spec: LinkSpec, state: LinkState, failed?: Failure): LinkReport {
  return {
    ok: !failed,
    outcome: failed ? 'failed' : 'succeeded',
    linkId: state.linkId,
    projectId: spec.projectId,
    region: spec.region,
    vpcId: spec.vpcId,
    ...(state.endpointId
      ? {
          endpoint: {
            id: state.endpointId,
            domain: state.endpointDomain,
            zones: (state.zoneIps ?? []).map(({ zoneId, ip }) => ({ zoneId, ip })),
          },
        }
      : {}),
    securityGroupId: state.securityGroupId,
    dnsZoneId: state.dnsZoneId,
    records: state.records ?? [],
    recordCount: state.recordCount ?? state.records?.length ?? 0,
    verified: state.verified ?? [],
    ...(state.unverified ? { unverified: state.unverified } : {}),
    verifiedCount: state.verifiedCount ?? state.verified?.length ?? 0,
    changes: state.changes,
    ...(failed ? { failed } : {}),
  };
}
