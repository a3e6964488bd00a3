import type { Tag } from '../derived.ts';
import type { PlanItem } from '../plan.ts';
import type { Change } from '../steps/types.ts';
import type { WorldView } from '../steps/validate.ts';

/** The existing resources a user names for `zpl adopt`: only these are ever taken over. */
export interface AdoptNames {
  endpointId: string;
  securityGroupId?: string;
  zoneId?: string;
}

/** What adopting does to one named resource (or one it leaves): `adopt` marks it, `keep` finds it already the link's, `leave` keeps it the user's. */
export interface AdoptItem {
  action: 'adopt' | 'keep' | 'leave';
  resource: string;
  id: string;
  detail: string;
}

/** The ownership marks adopting writes, each on a resource someone else made. */
export interface AdoptMarks {
  /** Tags set on the endpoint: zpl's desired-state tags and `zpl:adopted`. */
  endpoint?: { id: string; tags: Tag[] };
  securityGroup?: { id: string; tags: Tag[] };
  zone?: { id: string; remark: string };
  records: { zoneId: string; recordId: number; fqdn: string; remark: string }[];
}

/** What `zpl adopt` found (and, confirmed, did): the refusals, what it adopts, and how the link then differs from its spec. */
export interface AdoptionReport {
  linkId: string;
  /** Why nothing may be adopted; empty when it may. */
  refusals: string[];
  items: AdoptItem[];
  /** The marks written (or, in a dry run, that would be). */
  marks: AdoptMarks;
  /** The link's reads, handed from the first half to the second (differences.ts), which drops them. */
  view?: WorldView;
  /** What plan shows once the marks are written (shared/plan.ts over the adopted view): what apply then changes. */
  differences: PlanItem[];
  /** How many differences there were (the list is cut at DIFFERENCES_MAX). */
  differenceCount: number;
  /** True when the marks were written (confirmed and nothing refused). */
  written: boolean;
  changes: Change[];
}

/** The report stays far below CloudFlow's 64 KiB a state: at most this many differences are listed (each under 500 bytes). */
export const DIFFERENCES_MAX = 60;
