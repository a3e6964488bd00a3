import type { Tag } from '../derived.ts';

/** What a drift check can find wrong with a link, each with a plain reason. */
export type DriftKind =
  | 'endpoint.missing'
  | 'endpoint.not_active'
  | 'endpoint.not_connected'
  | 'endpoint.zone_lost'
  | 'endpoint.zone_extra'
  | 'sg.missing'
  | 'sg.rule_missing'
  | 'sg.rule_widened'
  | 'sg.rule_extra'
  | 'sg.duplicate'
  | 'sg.tags_stale'
  | 'dns.zone_unbound'
  | 'dns.proxy_changed'
  | 'dns.record_missing'
  | 'dns.record_disabled'
  | 'dns.record_elsewhere'
  /** A zone zpl made serving the link's VPC is also bound to a VPC whose link did not ask for it. */
  | 'dns.zone_shared'
  /** A record in the zone serving the link's VPC points at another VPC's endpoint. */
  | 'dns.record_foreign'
  /** A record the link owns (Remark) that its spec no longer lists. */
  | 'dns.record_unlisted'
  | 'zilliz.registration_missing'
  | 'zilliz.cluster_missing';

export interface Finding {
  kind: DriftKind;
  detail: string;
}

/** A link as found from the tags zpl wrote: who it is, what it should be, what is there. */
export interface ManagedLink {
  linkId: string;
  region: string;
  vpcId: string;
  endpoint?: { id: string; status: string; connection: string; domain: string; name: string; tags: Tag[] };
  securityGroup?: { id: string; tags: Tag[] };
  /** More groups tagged for the link (a late create's duplicate), beside the oldest in `securityGroup`. */
  otherSecurityGroups?: string[];
  desired: {
    projectId?: string;
    clusters: string[];
    zones: string[];
    port?: number;
    cidrs?: string[];
    icmp?: boolean;
    dnsLayout: 'region-zone' | 'cluster-zone';
    givenSecurityGroup?: string;
    userTags: Record<string, string>;
  };
}

export interface LinkDrift {
  linkId: string;
  region: string;
  /** The account the link is in (the deployment's own, or a role's: the drift input's `roles`). */
  account?: string;
  vpcId: string;
  projectId?: string;
  endpointId?: string;
  clean: boolean;
  findings: Finding[];
  /** Findings left out of a bounded list. */
  moreFindings?: number;
}

export interface DriftReport {
  checkedAt: string;
  regions: string[];
  /** The accounts checked, the deployment's own first; present when the check named roles. */
  accounts?: string[];
  /** How many managed links were checked. */
  checked: number;
  /**
   * Drifted links in this run's order (REPORTED_LINKS, each with at most REPORTED_FINDINGS findings): the
   * report is flow state, bounded whatever the number of links (CloudFlow's 64 KiB per state).
   * Clean links are only counted; each page announces its share of MAX_DRIFTED_PER_RUN drifted
   * ones as zpl.drift.detected, and each run takes a different turn (thisRunsTurn).
   */
  links: LinkDrift[];
  drifted: number;
  /** Drifted links beyond this run's windows, left for the next runs to announce and remediate. */
  deferred: number;
  /** API calls the check made (Alibaba and Zilliz, retries included), for the cost per link. */
  calls: number;
  /** Managed links found when the run was planned (Discover). */
  managed?: number;
  /** Links per page (shared/drift/paging.ts), and the pages this run checked or tried. */
  pageSize?: number;
  pages?: number;
  /** Pages that failed after the flow's retries: counted, named below, and the check went on. */
  pagesFailed?: number;
  failures?: PageFailure[];
  /** Links in pages beyond MAX_PAGES_PER_RUN, left to the next runs. */
  linksLeft?: number;
  /** Drifted links whose remediation could not be started (the pages' Remediate maps that failed). */
  remediationsFailed?: number;
  /** True when some page failed or was left: the counts cover only part of the fleet. */
  partial?: boolean;
}

/** A page the flow gave up on (after its Retry), as CloudFlow reported the error. */
export interface PageFailure {
  region: string;
  /** The account whose page it was. */
  account?: string;
  page: number;
  of: number;
  code: string;
  message: string;
}
