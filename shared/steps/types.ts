import { errorBrand } from '../error-brand.ts';
import type { Clock } from '../clock.ts';
import { clientToken } from '../derived.ts';
import type { Logger } from '../log.ts';
import type { AliyunApis } from '../aliyun/index.ts';
import type { ZillizClient } from '../zilliz/client.ts';
import type { LinkSpec } from '../spec.ts';
import type { Network } from '../net/network.ts';
import type { AdoptionReport } from '../adopt/types.ts';

/**
 * The step contract (architecture.md): a step receives `{spec, state}` and returns the new
 * state, plus for wait steps `{ready, failed?, nextPollSeconds, deadline}`. Steps never sleep
 * for long; the flow waits. State stays small and O(1) in clusters (far below CloudFlow's 64 KiB per state): per-cluster
 * details are read back from Zilliz and PrivateZone by the step that needs them (bounded.ts).
 */

export interface StepDeps {
  aliyun: AliyunApis;
  zilliz: ZillizClient;
  clock: Clock;
  log: Logger;
  network: Network;
}

export interface Change {
  step: string;
  action:
    | 'created'
    | 'reused'
    | 'updated'
    | 'unchanged'
    | 'registered'
    | 'allowlisted'
    | 'bound'
    | 'deleted'
    | 'unbound'
    | 'deregistered'
    | 'kept'
    | 'gone'
    | 'revoked'
    | 'removed'
    | 'untagged'
    | 'adopted'
    /** The step had nothing of the link's to act on (a teardown of some clusters leaves the endpoint). */
    | 'skipped';
  resource: string;
  id?: string;
  note?: string;
}

export interface Failure {
  step: string;
  code: string;
  message: string;
}

export interface ClusterTarget {
  clusterId: string;
  host: string;
  zoneName: string;
  rr: string;
}

export interface WaitClock {
  /** When this wait began (ms since the epoch, step clock). */
  since: number;
  polls: number;
}

export interface LinkState {
  linkId: string;
  serviceName?: string;
  serviceId?: string;
  vpcCidrs?: string[];
  zones?: { zoneId: string; vSwitchId: string }[];
  port?: number;
  securityGroupId?: string;
  endpointId?: string;
  endpointDomain?: string;
  zoneIps?: { zoneId: string; ip: string; domain: string }[];
  dnsZoneId?: string;
  /** The first records EnsureDns wrote (DETAIL_SAMPLE), and how many there are: the zone holds the rest. */
  records?: { clusterId: string; recordId: number; host: string }[];
  recordCount?: number;
  /** The first hostnames Verify checked (DETAIL_SAMPLE), and how many it checked. */
  verified?: { host: string; resolver: string; cname: string[]; addresses: string[]; connections: { address: string; via: string }[] }[];
  /** Verify could not look from inside the link's VPC: not a pass and not a failure. */
  unverified?: { vpcId: string; reason: string };
  verifiedCount?: number;
  waits?: Record<string, WaitClock>;
  /** What adopting found and did (the adopt flow). */
  adoption?: AdoptionReport;
  /** What a teardown found to remove (TeardownPlan). */
  teardown?: TeardownScope;
  changes: Change[];
}

export interface TeardownScope {
  /** `link`: everything zpl made for the link; `clusters`: only these clusters' records. */
  scope: 'link' | 'clusters';
  clusters: string[];
  /** Clusters the link keeps (recorded on the endpoint afterwards). */
  remaining: string[];
  endpointId?: string;
  endpointOurs: boolean;
  securityGroupId?: string;
  securityGroupOurs: boolean;
  /** Every group of zpl's own for the link when there is more than one (a late create's): teardown deletes them all. */
  securityGroupIds?: string[];
  zones: PlannedZone[];
}

/** A DNS zone a teardown touches. */
export interface PlannedZone {
  zoneId: string;
  zoneName: string;
  /** zpl made it (any link's mark): deleted once no record is left in it. */
  ours: boolean;
  /** The VPC binding is zpl's (a zone zpl made, or a user's zone an older zpl bound: `zpl:bound`). */
  bindingOurs: boolean;
  /** The record names (`Rr`) to remove, each only if it carries our remark; absent in plans made before it was recorded. */
  rrs?: string[];
}

export interface WaitStatus {
  ready: boolean;
  nextPollSeconds: number;
  /** ISO time after which the wait fails. */
  deadline: string;
  /** What is being waited for, in words (progress lines). */
  waitingFor: string;
}

export interface StepResult {
  state: LinkState;
  wait?: WaitStatus;
  failed?: Failure;
}

export interface StepInput {
  spec: LinkSpec;
  state: LinkState;
  /** Teardown of single clusters: the ones to remove (the whole link when absent). */
  removeClusters?: string[];
  /**
   * The adopt flow: what to adopt, and whether to write the marks, as the run was given them; the
   * Adopt step reads them (shared/adopt/request.ts), so no other step's bundle carries the reader.
   */
  adopt?: unknown;
  /** The execution this step runs in (changes' ClientTokens include it, see tokensFor). */
  execution: string;
  /**
   * Which lifetime of the link this run belongs to: how many teardowns of it have run
   * (shared/link-runs.ts passes it in the execution's input; 0 when absent). Creates' ClientTokens
   * include it instead of the execution (createTokensFor).
   */
  lifetime?: number;
}

export type Step = (input: StepInput, deps: StepDeps) => Promise<StepResult>;

export type Tokens = (step: string, params?: unknown) => string;

/**
 * ClientTokens for changes that may have to be made again later — a rule added, revoked by hand,
 * added again; a zone removed and added back; tags: derived from the link, the step, the request
 * and the execution. A cloud answers a reused token from its record of the first call ("If an
 * HTTP status code 200 is returned, the retry generates the same result as the last request and
 * your server status is not affected", https://www.alibabacloud.com/help/en/ecs/developer-reference/how-to-ensure-idempotence,
 * which states no expiry), so a token stable across runs would make the second addition a no-op.
 * These changes are idempotent in themselves (an identical rule, a duplicate zone, a tag set
 * twice), so a late reply from an earlier run duplicates nothing.
 */
export const tokensFor =
  (input: Pick<StepInput, 'spec' | 'execution'>): Tokens =>
  (step, params = {}) =>
    clientToken(input.spec, step, { params, run: input.execution });

/**
 * ClientTokens for creates (the security group, the endpoint): `lifetime` derives from the link,
 * the step, the request and the link's lifetime (completed teardowns), never the execution, so a
 * create whose reply came too late for one run is the same create to the next run of that lifetime
 * (answered from the cloud's record instead of made twice), while a link torn down and provisioned
 * again gets new ones; `run` is this run's (tokensFor), for when the lifetime's token names a
 * resource deleted since (create-once.ts).
 */
export interface CreateTokens {
  lifetime: Tokens;
  run: Tokens;
}

export const createTokensFor = (input: Pick<StepInput, 'spec' | 'lifetime' | 'execution'>): CreateTokens => ({
  lifetime: (step, params = {}) => clientToken(input.spec, step, { params, lifetime: input.lifetime ?? 0 }),
  run: tokensFor(input),
});

export const emptyState = (linkId: string): LinkState => ({ linkId, changes: [] });

/** Records a change once (a re-run after a crash must not list it twice). */
export function noteChange(state: LinkState, change: Change): LinkState {
  const same = (c: Change) => c.step === change.step && c.resource === change.resource && c.id === change.id && c.action === change.action;
  return state.changes.some(same) ? state : { ...state, changes: [...state.changes, change] };
}

export class StepFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    STEP_FAILURE.mark(this);
  }

  /** Also a StepFailure thrown by run-as.js's copy of this class (error-brand.ts). */
  static override [Symbol.hasInstance](v: unknown): v is StepFailure {
    return STEP_FAILURE.is(v);
  }
}

const STEP_FAILURE = errorBrand('StepFailure');
