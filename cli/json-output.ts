import * as z from '../shared/zod.ts';
import { stepLine } from '../shared/http/responses.ts';
import type { DriftReport, LinkDrift, PageFailure } from '../shared/drift/types.ts';
import type { LinkReport } from '../shared/steps/report.ts';

/**
 * The one JSON shape of each command's `--json` output (`zpl schema <command>` prints it as JSON
 * Schema; the README lists the top-level fields). Strict objects: a field added here is added to
 * the documentation at once, and a test runs every command and holds its output to its schema.
 * `--follow --json` (apply, destroy, status, demo) prints a stream instead: one `followEvent` per line.
 */

const executionStatus = z.enum(['Starting', 'Running', 'Stopped', 'Succeeded', 'Failed', 'TimedOut']);
export type RunStatus = z.infer<typeof executionStatus>;
const d = (text: string) => z.describe(text);

const change = z.strictObject({
  step: z.string(),
  action: z
    .string()
    .check(
      d(
        'created, reused, updated, unchanged, registered, allowlisted, bound, deleted, unbound, deregistered, kept, gone, revoked, removed, untagged',
      ),
    ),
  resource: z.string(),
  id: z.optional(z.string()),
  note: z.optional(z.string()),
});
const failure = z.strictObject({ step: z.string(), code: z.string(), message: z.string() });

/** A provision or teardown run's report (shared/steps/report.ts LinkReport). */
export const linkReport = z.strictObject({
  ok: z.boolean(),
  outcome: z.enum(['succeeded', 'failed']),
  ticketId: z.optional(z.string()),
  linkId: z.string(),
  projectId: z.string(),
  region: z.string(),
  vpcId: z.string(),
  endpoint: z.optional(
    z.strictObject({
      id: z.string(),
      domain: z.optional(z.string()),
      zones: z.array(z.strictObject({ zoneId: z.string(), ip: z.string() })),
    }),
  ),
  securityGroupId: z.optional(z.string()),
  dnsZoneId: z.optional(z.string()),
  records: z.array(z.strictObject({ clusterId: z.string(), recordId: z.number(), host: z.string() })),
  recordCount: z.number(),
  verified: z.array(
    z.strictObject({
      host: z.string(),
      resolver: z.string(),
      cname: z.array(z.string()),
      addresses: z.array(z.string()),
      connections: z.array(z.strictObject({ address: z.string(), via: z.string() })),
    }),
  ),
  unverified: z.optional(z.strictObject({ vpcId: z.string(), reason: z.string() })),
  verifiedCount: z.number(),
  changes: z.array(change),
  failed: z.optional(failure),
});

const finding = z.strictObject({
  kind: z.string().check(d('a drift kind, e.g. endpoint.missing, sg.rule_extra, dns.record_missing')),
  detail: z.string(),
});

const linkDrift = z.strictObject({
  linkId: z.string(),
  region: z.string(),
  account: z.optional(z.string()),
  vpcId: z.string(),
  projectId: z.optional(z.string()),
  endpointId: z.optional(z.string()),
  clean: z.boolean(),
  findings: z.array(finding),
  moreFindings: z.optional(z.number()),
});

const pageFailure = z.strictObject({
  region: z.string(),
  account: z.optional(z.string()),
  page: z.number(),
  of: z.number(),
  code: z.string(),
  message: z.string(),
});

/** A drift check's report (shared/drift/types.ts DriftReport). */
export const driftReport = z.strictObject({
  checkedAt: z.string(),
  regions: z.array(z.string()),
  accounts: z.optional(z.array(z.string()).check(d("the accounts checked, the deployment's own first (when the check named roles)"))),
  checked: z.number(),
  links: z.array(linkDrift),
  drifted: z.number(),
  deferred: z.number(),
  calls: z.number(),
  managed: z.optional(z.number()),
  pageSize: z.optional(z.number()),
  pages: z.optional(z.number()),
  pagesFailed: z.optional(z.number()),
  failures: z.optional(z.array(pageFailure)),
  linksLeft: z.optional(z.number()),
  remediationsFailed: z.optional(z.number()),
  partial: z.optional(z.boolean()),
});

/**
 * A documented shape held to the type it documents: the type's values validate, and a field added
 * to the type alone fails tsc here (top level; nested shapes are held on their own).
 */
type Documents<S extends z.ZodMiniType, T> = [T] extends [z.infer<S>]
  ? [Exclude<keyof T, keyof z.infer<S>>] extends [never]
    ? true
    : false
  : false;
const documented: [
  Documents<typeof linkReport, LinkReport>,
  Documents<typeof driftReport, DriftReport>,
  Documents<typeof linkDrift, LinkDrift>,
  Documents<typeof pageFailure, PageFailure>,
] = [true, true, true, true];
void documented;

/** One resource change of a plan (shared/plan.ts PlanItem), Terraform's `resource_changes` in zpl's words. */
export const planItem = z.strictObject({
  action: z.enum(['create', 'update', 'remove', 'reuse', 'keep', 'conflict']),
  kind: z
    .string()
    .check(
      d(
        'the resource in snake case: zilliz_allowlist, security_group, security_group_rules, security_group_tags, interface_endpoint, endpoint_zone, endpoint_tags, zilliz_registration, private_zone, private_zone_proxy, cname_record',
      ),
    ),
  resource: z.string().check(d('the same, in words')),
  id: z.optional(z.string().check(d('the resource ID when it exists: sg-…, ep-…, a zone ID, a record host'))),
  before: z.nullable(z.record(z.string(), z.unknown())).check(d('what is there now; null when it does not exist yet')),
  after: z.nullable(z.record(z.string(), z.unknown())).check(d('what apply leaves; null when apply removes it')),
  detail: z.string(),
  risk: z.optional(z.string()),
});

export const linkPlan = z.strictObject({
  linkId: z.string(),
  problems: z.array(z.string()).check(d('why the spec cannot work as it is (apply would stop at validation)')),
  items: z.array(planItem),
  changes: z.number().check(d('how many items change something (create, update, remove)')),
  digest: z.string().check(d('sha256 of what the plan read, as its items record it: a saved plan is applied only while it still holds')),
});

/** A plan saved by `zpl plan --out FILE`, applied by `zpl apply FILE`. */
export const savedPlan = z.strictObject({
  format: z.literal('zpl-plan/1'),
  zplVersion: z.string(),
  createdAt: z.string(),
  target: z.strictObject({ kind: z.string(), region: z.string() }),
  spec: z.record(z.string(), z.unknown()).check(d('the link spec planned, defaults applied (the Link spec section)')),
  plan: linkPlan,
});

/** `apply --json`, `destroy --json` without --follow: the run started or joined. */
export const runStarted = z.strictObject({
  event: z.literal('started'),
  execution: z.string(),
  flow: z.string(),
  status: executionStatus,
  joined: z.boolean().check(d('the request joined a run already in flight for the link')),
});

/** `--follow --json`: one of these per line, as it happens. */
export const followEvent = z.discriminatedUnion('event', [
  runStarted,
  z.strictObject({ event: z.literal('step'), execution: z.string(), ...stepLine.shape }),
  z.strictObject({
    event: z.literal('finished'),
    execution: z.string(),
    flow: z.string(),
    status: executionStatus,
    startedTime: z.string(),
    stoppedTime: z.optional(z.string()),
    report: z.optional(linkReport),
  }),
]);

/** `status --json`: one execution of any of zpl's flows. */
export const executionView = z.strictObject({
  execution: z.string(),
  flow: z.string(),
  status: executionStatus,
  startedTime: z.string(),
  stoppedTime: z.optional(z.string()),
  currentStep: z.optional(z.string()),
  steps: z.array(stepLine),
  report: z.optional(linkReport),
  driftReport: z.optional(driftReport),
});

const remediation = z.strictObject({
  linkId: z.string(),
  execution: z.optional(z.string()),
  joined: z.optional(z.boolean()),
  skipped: z.optional(z.string()),
});

export const driftResult = z.strictObject({
  execution: z.string(),
  status: executionStatus,
  report: driftReport,
  remediation: z.optional(z.array(remediation)),
});

const runRef = z.strictObject({
  execution: z.string(),
  flow: z.string(),
  status: executionStatus,
  startedTime: z.string(),
  stoppedTime: z.optional(z.string()),
});

/** `list --json`: the managed links of the regions, each with its status. */
export const linkList = z.strictObject({
  regions: z.array(z.string()),
  links: z.array(
    z.strictObject({
      linkId: z.string(),
      status: z.enum(['ready', 'provisioning', 'destroying', 'drifted', 'failed']),
      region: z.string(),
      vpcId: z.string(),
      projectId: z.optional(z.string()),
      endpointId: z.optional(z.string()),
      securityGroupId: z.optional(z.string()),
      clusters: z.array(z.string()),
      findings: z.array(finding).check(d('what the drift comparison found (empty when ready)')),
      lastRun: z.optional(runRef),
    }),
  ),
});

/** `executions --json`: zpl's executions, newest first. */
export const executionList = z.strictObject({
  executions: z.array(z.strictObject({ ...runRef.shape, linkId: z.optional(z.string()) })),
});

export const checkResult = z.union([
  z.strictObject({
    ok: z.literal(true),
    linkId: z.string(),
    hosts: z.array(z.strictObject({ cluster: z.string(), hostname: z.string(), zone: z.string(), record: z.string() })),
    spec: z.record(z.string(), z.unknown()),
    warnings: z.array(z.string()),
  }),
  z.strictObject({
    ok: z.literal(false),
    unreadable: z.optional(z.literal(true).check(d('the file could not be read or parsed at all'))),
    errors: z.array(z.strictObject({ field: z.string(), message: z.string() })),
  }),
]);

export const validateResult = z.array(
  z.strictObject({
    file: z.string(),
    ok: z.boolean(),
    states: z.optional(z.number()),
    problems: z.array(z.strictObject({ file: z.string(), path: z.string(), message: z.string() })),
  }),
);

/** Each command's --json shape, the list `zpl schema` and the README's table are kept by. */
export const JSON_OUTPUTS = {
  apply: runStarted,
  destroy: runStarted,
  'follow stream': followEvent,
  status: executionView,
  plan: linkPlan,
  'plan file': savedPlan,
  drift: driftResult,
  list: linkList,
  executions: executionList,
  check: checkResult,
  validate: validateResult,
} as const;
export type JsonOutput = keyof typeof JSON_OUTPUTS;
