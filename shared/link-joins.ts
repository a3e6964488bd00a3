import { createHash } from 'node:crypto';
import { onFirstUse } from './first-use.ts';
import { isAliyunError } from './aliyun/errors.ts';
import type { CloudFlowApi, Execution } from './aliyun/cloudflow.ts';
import { linkId } from './derived.ts';
import { inputOf } from './execution-input.ts';
import { FOLLOW_FLOW, PROVISION_FLOW } from './flow-names.ts';
import { specDifferences, type SpecDifference } from './spec-diff.ts';
import { parseLinkSpec, type LinkSpec } from './spec.ts';
import * as z from './zod.ts';

/**
 * Requests that join a provision run someone else started. CloudFlow cannot add anything to a
 * running execution (its input is fixed at StartExecution; the FnF API has no update), so a
 * joiner is recorded as an execution of its own: a follower of the `zpl-follow` flow
 * (flows/follow.yaml), named after the run and the requester, which waits for the run and then
 * gives that requester its own callback and outcome event. CloudFlow keeps it across restarts and
 * de-duplicates it by name, so a redelivered request is answered once.
 *
 * A joiner must ask for exactly what the run provisions: a request whose spec differs is refused
 * with the differing fields (SpecDiffersError), never folded in silently.
 */

/** A follower's input: the run it follows and the requester it answers (built on first use: first-use.ts). */
export const followRequest = /* @__PURE__ */ onFirstUse(() =>
  z.object({
    run: z.string().check(z.minLength(1)),
    spec: z.unknown(),
    requestKey: z.optional(z.string()),
    ticketId: z.optional(z.string()),
    callback: z.optional(z.object({ url: z.string() })),
    source: z.optional(z.string()),
    /** A refused request (events only): the follower answers with the refusal at once. */
    refused: z.optional(z.object({ message: z.string(), fields: z.array(z.object({ field: z.string(), message: z.string() })) })),
  }),
);
export type FollowRequest = z.infer<ReturnType<typeof followRequest>>;

export { inputOf } from './execution-input.ts';

export const requestKeyOf = (e: Execution) => {
  const key = inputOf(e).requestKey;
  return typeof key === 'string' ? key : undefined;
};

/** `<run>-j<16 hex>`: one name per (run, requester), 39 characters (FnF allows 128: fnf metadata, StartExecution ExecutionName). */
export const followerName = (run: string, identity: string) =>
  `${run}-j${createHash('sha256').update(identity).digest('hex').slice(0, 16)}`;

/** Who is answered: the request key, else the callback URL; a requester with neither (CLI, drift) watches the run itself. */
function identityOf(requestKey: string | undefined, input: Record<string, unknown>): string | undefined {
  const url = (input.callback as { url?: unknown } | undefined)?.url;
  return requestKey ?? (typeof url === 'string' ? `callback:${url}` : undefined);
}

export class SpecDiffersError extends Error {
  constructor(
    /** The run provisioning the link now. */
    readonly running: string,
    readonly linkId: string,
    readonly differences: SpecDifference[],
  ) {
    super(
      `link ${linkId} is being provisioned by execution ${running} with a different spec (${differences.map((d) => d.field).join(', ')}): ` +
        'ask again once it has ended, or ask for the spec it runs',
    );
  }
}

/** What a follower records about its requester (not the run's other fields, such as its lifetime). */
function requesterOf(run: string, input: Record<string, unknown>, requestKey: string | undefined): FollowRequest {
  const url = (input.callback as { url?: unknown } | undefined)?.url;
  return {
    run,
    spec: input.spec,
    ...(requestKey ? { requestKey } : {}),
    ...(typeof input.ticketId === 'string' ? { ticketId: input.ticketId } : {}),
    ...(typeof url === 'string' ? { callback: { url } } : {}),
    ...(typeof input.source === 'string' ? { source: input.source } : {}),
  };
}

/** Starts the follower, or finds it (a redelivery): CloudFlow answers a running name with that execution, a finished one with ExecutionAlreadyExists. */
async function startFollower(flows: CloudFlowApi, name: string, request: FollowRequest): Promise<Execution> {
  try {
    return await flows.start(FOLLOW_FLOW, name, request);
  } catch (e) {
    if (!isAliyunError(e, 'ExecutionAlreadyExists')) throw e;
    return flows.describe(FOLLOW_FLOW, name);
  }
}

/**
 * Joins the provision run `running`: the same requester (its own run) just joins; another must
 * ask for the same spec (else SpecDiffersError) and, when it can be answered (a request key or a
 * callback), is recorded by a follower.
 */
export async function joinRun(
  flows: CloudFlowApi,
  running: Execution,
  spec: LinkSpec,
  input: Record<string, unknown>,
  requestKey: string | undefined,
): Promise<{ execution: Execution; joined: true; follower?: string }> {
  if (requestKey && requestKeyOf(running) === requestKey) return { execution: running, joined: true };
  const theirs = parseLinkSpec(inputOf(running).spec);
  const differences = theirs.ok ? specDifferences(theirs.spec, spec, running.Name) : [];
  if (differences.length) throw new SpecDiffersError(running.Name, linkId(spec), differences);
  const identity = identityOf(requestKey, input);
  if (!identity) return { execution: running, joined: true };
  const follower = await startFollower(flows, followerName(running.Name, identity), requesterOf(running.Name, input, requestKey));
  return { execution: running, joined: true, follower: follower.Name };
}

/** Records a refused request that must still be answered (a ticket): its follower answers with the refusal at once. */
export async function recordRefusal(
  flows: CloudFlowApi,
  refusal: SpecDiffersError,
  input: Record<string, unknown>,
  requestKey: string | undefined,
): Promise<string | undefined> {
  const identity = identityOf(requestKey, input);
  if (!identity) return undefined;
  const request = {
    ...requesterOf(refusal.running, input, requestKey),
    refused: { message: refusal.message, fields: refusal.differences },
  };
  return (await startFollower(flows, followerName(refusal.running, identity), request)).Name;
}

/** The link's recorded requests (followers), newest first as CloudFlow lists them; none where the follow flow is not deployed. */
export async function recordedRequests(flows: CloudFlowApi, spec: LinkSpec): Promise<Execution[]> {
  try {
    return await flows.list(FOLLOW_FLOW, { prefix: `${linkId(spec)}-` });
  } catch (e) {
    if (isAliyunError(e, 'FlowNotExists')) return [];
    throw e;
  }
}

/** A request key's earlier answer from its follower: the run it joined, or its refusal again (answered once already). */
export async function earlierAnswer(
  flows: CloudFlowApi,
  recorded: Execution[],
  spec: LinkSpec,
  requestKey: string,
): Promise<{ execution: Execution; joined: true; follower: string } | undefined> {
  const record = recorded.find((e) => requestKeyOf(e) === requestKey);
  const request = record && followRequest().safeParse(inputOf(record));
  if (!record || !request?.success) return undefined;
  if (request.data.refused) throw new SpecDiffersError(request.data.run, linkId(spec), request.data.refused.fields);
  return { execution: await flows.describe(PROVISION_FLOW, request.data.run), joined: true, follower: record.Name };
}
