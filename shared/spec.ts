import { EVENT_LIMIT, EVENTS_PER_POLL_ROUND, maxTeardownWaitSeconds, WAIT_EVENT_BUDGET, waitsEvents } from './steps/event-budget.ts';
import { LINK_LIMITS } from './limits.ts';
import { REGIONS, ZILLIZ_ZONES, isRegion, isZoneOf, type Region } from './regions.ts';
import { securityGroupRuleProblems } from './rule-budget.ts';
import { resourceTagProblems } from './tag-budget.ts';
import { tagKeyProblem, tagValueProblem, TAG_LIMITS } from './tag-rules.ts';
import { ids } from './ids.ts';
import * as z from './zod.ts';

/**
 * What a user asks for: connect one VPC to the Dedicated clusters of one Zilliz project in
 * one region. A link is (project, region, VPC); clusters only add DNS records.
 */

export { ids };

/** A RAM role to act as, in its account (a link's `assumeRole`, a drift check's `roles`). */
export const assumeRoleSchema = z.strictObject({
  arn: z.string().check(z.regex(ids.roleArn, { error: 'must be acs:ram::<account ID>:role/<name>' })),
  // STS AssumeRole ExternalId: "长度为2~1224个字符…正则为：`[\w+=,.@:\/-]*`" (sts_2015-04-01.json).
  externalId: z.optional(z.string().check(z.regex(ids.externalId, { error: '2–1224 of letters, digits, _+=,.@:/-' }))),
});
export type AssumeRole = z.infer<typeof assumeRoleSchema>;

const SERVERLESS_CLUSTER = /^in0[35]-/;

const ipv4 = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const CIDR = new RegExp(`^${ipv4}\\.${ipv4}\\.${ipv4}\\.${ipv4}/(3[0-2]|[12]?\\d)$`);

/** The network a CIDR block denotes (host bits cleared), so one block written two ways compares equal. */
function cidrNetwork(cidr: string): string {
  const [ip = '', bits = ''] = cidr.split('/');
  const octets = ip.split('.').map(Number);
  const prefix = Number(bits);
  if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o)) || !Number.isInteger(prefix)) return cidr;
  const address = octets.reduce((n, o) => n * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  return `${Math.floor(address / size) * size}/${prefix}`;
}

/** Entries whose block appeared earlier in the list. */
function repeatedBlocks(list: string[]): string[] {
  const seen = new Set<string>();
  return list.filter((cidr) => {
    const network = cidrNetwork(cidr);
    if (seen.has(network)) return true;
    seen.add(network);
    return false;
  });
}

/** What a YAML value is, in a user's words. */
function kindOf(value: unknown): string {
  if (value === null) return 'empty (null)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `a string (${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)})`;
  return `${typeof value === 'number' ? 'the number' : typeof value === 'boolean' ? 'the boolean' : typeof value} ${String(value)}`;
}

const EXPECTED: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
};

/** YAML reads an unquoted run of digits as a number (and loses digits past 2^53). */
const QUOTE_IDS = (input: number) => `: write it in quotes ("${input}") so YAML reads it as a string, not as a number`;

/**
 * A field's type error: "required" only when the field is absent; a value of the wrong type
 * (an unquoted account ID, a string where a list belongs) is told what it is and should be.
 */
function typeError(required: string, hint?: (input: number) => string) {
  return (issue: { input?: unknown; expected?: string }): string => {
    const expected = EXPECTED[issue.expected ?? ''] ?? issue.expected ?? 'another type';
    if (issue.input === undefined) return required || `must be ${expected}`;
    return `must be ${expected}, not ${kindOf(issue.input)}${typeof issue.input === 'number' && expected === 'a string' && hint ? hint(issue.input) : ''}`;
  };
}

const zoneSchema = z.strictObject(
  {
    zoneId: z.string({ error: typeError('zoneId is required, e.g. cn-hangzhou-h') }),
    vSwitchId: z.optional(z.string({ error: typeError('') }).check(z.regex(ids.vSwitch, { error: 'must be a vSwitch ID like vsw-bp1…' }))),
  },
  { error: typeError('') },
);

const seconds = (max: number) =>
  z
    .number({ error: typeError('') })
    .check(z.int({ error: 'must be whole seconds' }), z.gte(60, { error: 'must be at least 60 seconds' }), z.lte(max));

export const DEFAULT_DEADLINES = {
  /** After allowlisting, until Zilliz's endpoint service is visible to the account. */
  serviceVisibleSeconds: 3600,
  /** CreateVpcEndpoint until EndpointStatus is Active. */
  endpointActiveSeconds: 1800,
  /** Registration until Zilliz accepts and ConnectionStatus is Connected (guide: ~5 min). */
  connectionSeconds: 3600,
} as const;

/** zpl's own tags (ownership and desired state); the vendors reserve aliyun* and acs:*. */
const ZPL_TAG_KEY = /^zpl:/i;

const linkSpecFields = z.strictObject({
  projectId: z.string({ error: typeError('projectId is required (the Zilliz project, proj-…)') }).check(
    z.regex(ids.project, {
      error: 'must be a Zilliz project ID like proj-4a1b2c3d4e5f6a7b8c9d',
    }),
  ),
  region: z
    .string({ error: typeError(`region is required, one of ${REGIONS.join(', ')}`) })
    .check(z.refine<string>(isRegion, { error: `must be one of ${REGIONS.join(', ')}` })),
  accountId: z
    .string({
      error: typeError('accountId is required: the Alibaba Cloud main account ID (主账号 ID), as a string', QUOTE_IDS),
    })
    .check(z.regex(ids.account, { error: 'must be the numeric Alibaba Cloud main account ID (主账号 ID)' })),
  vpcId: z.string({ error: typeError('vpcId is required') }).check(z.regex(ids.vpc, { error: 'must be a VPC ID like vpc-bp1…' })),
  clusters: z
    .array(
      z.string({ error: typeError('', QUOTE_IDS) }).check(
        z.regex(ids.cluster, { error: 'must be a Zilliz cluster ID like in01-0123456789abcdef' }),
        z.refine<string>((id) => !SERVERLESS_CLUSTER.test(id), {
          error: 'serverless and free clusters (in03-, in05-) do not support private link',
        }),
      ),
      { error: typeError('clusters is required: a list of Zilliz cluster IDs') },
    )
    .check(
      z.minLength(1, { error: 'name at least one cluster' }),
      // Before anything else about the list: a huge one is refused by its length alone (limits.ts).
      z.maxLength(LINK_LIMITS.clusters, {
        error: `a link serves at most ${LINK_LIMITS.clusters} clusters: each is recorded on the endpoint, whose tags Alibaba caps at 20 (fewer fit with longer cluster IDs or extra tags)`,
        abort: true,
      }),
      z.refine<string[]>((list) => new Set(list).size === list.length, { error: 'cluster IDs must be unique' }),
    ),
  zones: z
    .array(zoneSchema, { error: typeError('zones is required: the zones to place the endpoint in (two or more recommended)') })
    .check(
      z.minLength(1, { error: 'name at least one zone (two or more recommended)' }),
      z.maxLength(LINK_LIMITS.zones, { error: `an endpoint takes at most ${LINK_LIMITS.zones} zones` }),
    ),
  securityGroupId: z.optional(
    z.string({ error: typeError('') }).check(z.regex(ids.securityGroup, { error: 'must be a security group ID like sg-bp1…' })),
  ),
  allowedCidrs: z.optional(
    z
      .array(z.string({ error: typeError('') }).check(z.regex(CIDR, { error: 'must be an IPv4 CIDR block like 172.16.0.0/12' })), {
        error: typeError(''),
      })
      .check(
        z.minLength(1, { error: 'leave allowedCidrs out to allow the VPC CIDR blocks, or list at least one' }),
        z.maxLength(LINK_LIMITS.securityGroupRules, {
          error: `at most ${LINK_LIMITS.securityGroupRules} CIDR blocks: each takes a rule of the security group, and ECS allows ${LINK_LIMITS.securityGroupRules} a group`,
          abort: true,
        }),
        // Refused, not normalised (like repeated clusters and zones): AuthorizeSecurityGroup refuses
        // a call that repeats a permission (`InvalidParam.DuplicatePermissions`, ECS metadata), which
        // would fail only after the group exists. One block written two ways counts too, since
        // whether ECS masks host bits (10.0.0.5/24 = 10.0.0.0/24) is not documented.
        z.superRefine((list: string[], ctx) => {
          const repeated = repeatedBlocks(list);
          if (repeated.length)
            ctx.addIssue({
              code: 'custom',
              message: `list each CIDR block once (security group rules may not repeat): ${repeated.join(', ')}`,
            });
        }),
      ),
  ),
  port: z.optional(z.number({ error: typeError('') }).check(z.int(), z.gte(1), z.lte(65535))),
  icmp: z._default(z.boolean({ error: typeError('') }), true),
  dnsLayout: z._default(z.enum(['region-zone', 'cluster-zone'], { error: 'must be region-zone or cluster-zone' }), 'region-zone'),
  endpointName: z.optional(
    z.string({ error: typeError('') }).check(
      z.regex(ids.endpointName, {
        error: '2–128 characters, starting with a letter; letters, digits, - and _ only',
      }),
    ),
  ),
  tags: z._default(
    z.record(z.string(), z.string({ error: typeError('', QUOTE_IDS) }), { error: typeError('') }).check(
      z.superRefine((tags: Record<string, string>, ctx) => {
        if (Object.keys(tags).length > LINK_LIMITS.userTags)
          ctx.addIssue({ code: 'custom', message: `at most ${LINK_LIMITS.userTags} extra tags` });
        for (const [key, value] of Object.entries(tags)) {
          // The vendors' rules (shared/tag-rules.ts); an empty value is refused so PrivateLink takes it either way.
          const problem = ZPL_TAG_KEY.test(key)
            ? 'tag keys starting with zpl: are reserved for ownership tags'
            : (tagKeyProblem(key, 'privatelink') ?? tagValueProblem(value, 'privatelink'));
          if (problem)
            ctx.addIssue({
              code: 'custom',
              path: [key],
              message: `${problem} (keys ≤${TAG_LIMITS.keyMax}, values 1–${TAG_LIMITS.valueMax} characters, neither starting with aliyun or acs: nor containing http(s)://)`,
            });
        }
      }),
    ),
    {},
  ),
  // The run acts as the role, in its account: Validate's account check (GetCallerIdentity, as the
  // role) refuses an accountId of another account with Account.Mismatch, naming both.
  assumeRole: z.optional(assumeRoleSchema),
  deadlines: z._default(
    z.strictObject(
      {
        serviceVisibleSeconds: z._default(seconds(86_400), DEFAULT_DEADLINES.serviceVisibleSeconds),
        endpointActiveSeconds: z._default(seconds(86_400), DEFAULT_DEADLINES.endpointActiveSeconds),
        connectionSeconds: z._default(seconds(7 * 86_400), DEFAULT_DEADLINES.connectionSeconds),
      },
      { error: typeError('') },
    ),
    { ...DEFAULT_DEADLINES },
  ),
});

type SpecFields = z.output<typeof linkSpecFields>;
type Problem = { path: (string | number)[]; message: string };

/**
 * Checks of the spec as a whole, each with the fields it reads. zod runs object-level checks
 * only once every field is valid; parseLinkSpec runs each of these as soon as its own fields
 * are, so one pass lists every problem.
 */
const WHOLE_SPEC_CHECKS: { reads: (keyof SpecFields)[]; problems: (spec: SpecFields) => Problem[] }[] = [
  { reads: ['allowedCidrs', 'icmp'], problems: (spec) => securityGroupRuleProblems(spec) },
  {
    reads: ['projectId', 'region', 'vpcId', 'clusters', 'zones', 'securityGroupId', 'allowedCidrs', 'icmp', 'dnsLayout', 'tags'],
    problems: (spec) => resourceTagProblems(spec as LinkSpec),
  },
  {
    reads: ['deadlines'],
    problems: ({ deadlines: d }) => {
      const problems: Problem[] = [];
      const used = waitsEvents([d.serviceVisibleSeconds, d.endpointActiveSeconds, d.connectionSeconds]);
      if (used > WAIT_EVENT_BUDGET) {
        problems.push({
          path: ['deadlines'],
          message: `the three waits together could take ${used} history events; CloudFlow keeps ${EVENT_LIMIT} per run and the other states need theirs: shorten them (about ${Math.floor(WAIT_EVENT_BUDGET / EVENTS_PER_POLL_ROUND)} poll rounds in all, each up to 300 s)`,
        });
      }
      // Teardown waits three times on endpointActiveSeconds (zone deletion, endpoint deletion,
      // security group free): its run must fit the same budget, or destroy could never finish.
      const teardown = waitsEvents([d.endpointActiveSeconds, d.endpointActiveSeconds, d.endpointActiveSeconds]);
      if (teardown > WAIT_EVENT_BUDGET) {
        problems.push({
          path: ['deadlines', 'endpointActiveSeconds'],
          message: `teardown waits on it three times, which could take ${teardown} history events; CloudFlow keeps ${EVENT_LIMIT} per run: at most about ${maxTeardownWaitSeconds()} seconds`,
        });
      }
      return problems;
    },
  },
];

export const linkSpecSchema = linkSpecFields.check(
  z.superRefine((spec: SpecFields, ctx) => {
    for (const issue of zoneProblems(spec.region, spec.zones)) ctx.addIssue({ code: 'custom', ...issue });
    for (const check of WHOLE_SPEC_CHECKS) for (const issue of check.problems(spec)) ctx.addIssue({ code: 'custom', ...issue });
  }),
);

/** The whole-spec problems of an invalid spec whose checks' own fields are valid. */
function wholeSpecProblems(input: unknown): Problem[] {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return [];
  const raw = input as Record<string, unknown>;
  const fields: Partial<Record<keyof SpecFields, unknown>> = {};
  for (const [key, schema] of Object.entries(linkSpecFields.shape)) {
    const parsed = schema.safeParse(raw[key]);
    if (parsed.success) fields[key as keyof SpecFields] = parsed.data;
  }
  return WHOLE_SPEC_CHECKS.filter((check) => check.reads.every((key) => key in fields)).flatMap((check) =>
    check.problems(fields as SpecFields),
  );
}

/** Zones must belong to the region and appear once; checked even when other fields fail. */
function zoneProblems(region: unknown, zones: unknown): { path: (string | number)[]; message: string }[] {
  if (typeof region !== 'string' || !isRegion(region) || !Array.isArray(zones)) return [];
  const problems: { path: (string | number)[]; message: string }[] = [];
  const seen = new Set<string>();
  zones.forEach((zone, i) => {
    const zoneId = (zone as { zoneId?: unknown })?.zoneId;
    if (typeof zoneId !== 'string') return;
    if (seen.has(zoneId)) problems.push({ path: ['zones', i, 'zoneId'], message: `zone ${zoneId} is listed twice` });
    seen.add(zoneId);
    if (!isZoneOf(region, zoneId)) {
      problems.push({ path: ['zones', i, 'zoneId'], message: `must be a zone of ${region}, e.g. ${ZILLIZ_ZONES[region][0]}` });
    }
  });
  return problems;
}

/** A link spec as written by a user (defaults may be missing). */
export type LinkSpecInput = z.input<typeof linkSpecSchema>;
/** A validated link spec with defaults applied. */
export type LinkSpec = z.output<typeof linkSpecSchema> & { region: Region };

export interface FieldError {
  /** Dotted path into the spec, e.g. `zones.1.vSwitchId`; empty for the whole spec. */
  field: string;
  message: string;
}

export type SpecResult = { ok: true; spec: LinkSpec; warnings: string[] } | { ok: false; errors: FieldError[] };

/** Validates a spec and lists every problem at once, never throwing for bad input. */
export function parseLinkSpec(input: unknown): SpecResult {
  const result = linkSpecSchema.safeParse(input);
  if (!result.success) {
    // A value of the wrong type is that field's one problem (zod still runs length checks on it).
    const mistyped = new Set(result.error.issues.filter((i) => i.code === 'invalid_type').map((i) => i.path.join('.')));
    const errors: FieldError[] = result.error.issues
      .filter((issue) => issue.code === 'invalid_type' || !mistyped.has(issue.path.join('.')))
      .map((issue) => ({
        field: issue.path.map(String).join('.'),
        message: issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : issue.message,
      }));
    // zod skips object-level refinements once a field fails; run the zone check, and each
    // whole-spec check whose own fields are valid, anyway.
    const raw = (input ?? {}) as { region?: unknown; zones?: unknown };
    for (const p of [...zoneProblems(raw.region, raw.zones), ...wholeSpecProblems(input)]) {
      const field = p.path.join('.');
      if (!errors.some((e) => e.field === field && e.message === p.message)) errors.push({ field, message: p.message });
    }
    return { ok: false, errors };
  }
  const spec = result.data as LinkSpec;
  return { ok: true, spec, warnings: specWarnings(spec) };
}

/** Things that work but that a user should hear about. */
export function specWarnings(spec: LinkSpec): string[] {
  const warnings: string[] = [];
  if (spec.zones.length < 2) {
    warnings.push('one zone gives no redundancy: Zilliz recommends two or more (each zone is billed)');
  }
  const documented: readonly string[] = ZILLIZ_ZONES[spec.region];
  for (const zone of spec.zones) {
    // The endpoint service's own Zones decide (checked by Validate and CheckService); the guide's list only warns.
    if (!documented.includes(zone.zoneId)) {
      warnings.push(`zone ${zone.zoneId} is not among Zilliz's documented zones (${documented.join(', ')}); the endpoint service decides`);
    }
  }
  if (spec.allowedCidrs?.includes('0.0.0.0/0')) {
    warnings.push('allowedCidrs includes 0.0.0.0/0: any source may reach the endpoint');
  }
  return warnings;
}

export class SpecError extends Error {
  constructor(readonly errors: FieldError[]) {
    super(`invalid link spec:\n${errors.map((e) => `  - ${e.field || '(spec)'}: ${e.message}`).join('\n')}`);
    this.name = 'SpecError';
  }
}

/** For callers that already validated at their edge: throws a SpecError listing every problem. */
export function requireLinkSpec(input: unknown): LinkSpec {
  const result = parseLinkSpec(input);
  if (!result.ok) throw new SpecError(result.errors);
  return result.spec;
}
