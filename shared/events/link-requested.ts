import * as z from '../zod.ts';
import type { CloudFlowApi } from '../aliyun/cloudflow.ts';
import { checkCallbackUrl } from '../callback-url.ts';
import { recordRefusal, SpecDiffersError } from '../link-joins.ts';
import { LinkBusyError, startLinkRun } from '../link-runs.ts';
import { PROVISION_FLOW } from '../flow-names.ts';
import type { Logger } from '../log.ts';
import { parseLinkSpec } from '../spec.ts';

/**
 * Ticketing automation's way in: a CloudEvent `zpl.link.requested` (as EventBridge delivers it)
 * with `data: {ticketId, spec, callbackUrl?}` starts the link's provision run (or joins the one
 * running, recorded with a follower that answers this ticket); the ticket is kept in the input, so
 * a redelivered event finds its run. Anything else is logged and refused without starting anything;
 * refusals are not thrown, since redelivery would not fix them. A ticket whose spec differs from
 * the running one's is refused and still answered: its follower sends it `zpl.link.failed`
 * (`Link.SpecDiffers`, naming the fields) by callback and outcome event, once.
 */
export const LINK_REQUESTED = 'zpl.link.requested';

const cloudEvent = z.object({
  id: z.string().check(z.minLength(1), z.maxLength(256)),
  source: z.string().check(z.minLength(1), z.maxLength(256)),
  type: z.string().check(z.minLength(1), z.maxLength(256)),
  specversion: z.string().check(z.minLength(1)),
  data: z.optional(z.unknown()),
});

const requestData = z.strictObject({
  ticketId: z.string().check(z.regex(/^[A-Za-z0-9_.:-]{1,64}$/, { error: 'ticketId must be 1–64 letters, digits, _ . : or -' })),
  spec: z.optional(z.unknown()),
  callbackUrl: z.optional(z.string()),
});

export type Intake =
  | { accepted: true; eventId: string; execution: string; joined: boolean; follower?: string }
  | {
      accepted: false;
      eventId?: string;
      code: string;
      reason: string;
      fields?: { field: string; message: string }[];
      retry?: boolean;
      /** The follower that gives the ticket its refusal. */
      follower?: string;
    };

export interface IntakeDeps {
  flows: CloudFlowApi;
  callbackHosts: string[];
  log: Logger;
}

function decodeData(data: unknown): unknown {
  // EventBridge may hand `data` over as a JSON string.
  if (typeof data !== 'string') return data;
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}

export async function takeLinkRequest(raw: unknown, deps: IntakeDeps): Promise<Intake> {
  const event = cloudEvent.safeParse(raw);
  if (!event.success) return refuse(deps, undefined, 'event.malformed', 'not a CloudEvent (id, source, type, specversion, data)');
  const { id } = event.data;
  if (event.data.type !== LINK_REQUESTED) return refuse(deps, id, 'event.unknown_type', `type ${event.data.type} is not ${LINK_REQUESTED}`);
  const data = requestData.safeParse(decodeData(event.data.data));
  if (!data.success) {
    return refuse(
      deps,
      id,
      'event.bad_data',
      'data must be {ticketId, spec, callbackUrl?}',
      data.error.issues.map((i) => ({
        field: ['data', ...i.path.map(String)].join('.'),
        message: i.code === 'unrecognized_keys' ? `unknown field(s): ${i.keys.join(', ')}` : i.message,
      })),
    );
  }
  const spec = parseLinkSpec(data.data.spec);
  if (!spec.ok)
    return refuse(
      deps,
      id,
      'spec.invalid',
      'the link spec is invalid',
      spec.errors.map((e) => ({ field: `data.spec.${e.field}`, message: e.message })),
    );
  let callback: { url: string } | undefined;
  if (data.data.callbackUrl !== undefined) {
    const check = checkCallbackUrl(data.data.callbackUrl, deps.callbackHosts);
    if (!check.ok) return refuse(deps, id, 'callback.refused', check.reason);
    callback = { url: check.url.toString() };
  }
  const input = { spec: spec.spec, ticketId: data.data.ticketId, ...(callback ? { callback } : {}), source: 'eventbridge' };
  const key = `ticket:${data.data.ticketId}`;
  try {
    const { execution, joined, follower } = await startLinkRun(deps.flows, PROVISION_FLOW, spec.spec, input, key);
    deps.log.info(joined ? 'event.joined' : 'event.started', {
      eventId: id,
      execution: execution.Name,
      status: execution.Status,
      follower,
    });
    return { accepted: true, eventId: id, execution: execution.Name, joined, ...(follower ? { follower } : {}) };
  } catch (e) {
    // A teardown of this link is running: redelivery later is the right answer.
    if (e instanceof LinkBusyError) return { ...refuse(deps, id, 'link.busy', e.message), retry: true } as Intake;
    if (e instanceof SpecDiffersError) {
      const follower = await recordRefusal(deps.flows, e, input, key);
      return { ...refuse(deps, id, 'link.spec_differs', e.message, e.differences), ...(follower ? { follower } : {}) } as Intake;
    }
    throw e;
  }
}

function refuse(
  deps: IntakeDeps,
  eventId: string | undefined,
  code: string,
  reason: string,
  fields?: { field: string; message: string }[],
): Intake {
  deps.log.warn('event.refused', { eventId, code, reason, fields });
  return { accepted: false, ...(eventId ? { eventId } : {}), code, reason, ...(fields ? { fields } : {}) };
}

/** EventBridge delivers one event, or a batch as an array when batching is on. */
export async function takeDelivery(raw: unknown, deps: IntakeDeps): Promise<Intake[]> {
  const events = Array.isArray(raw) ? raw : [raw];
  const out: Intake[] = [];
  for (const e of events) out.push(await takeLinkRequest(e, deps));
  return out;
}
