import { onFirstUse } from '../../first-use.ts';
import * as z from 'zod/mini';
import { json, str, type ActionDef } from './index.ts';

/**
 * EventBridge 2020-04-01: the deploy step's bus, rule and target (deploy/eventbridge.ts).
 * Answers carry `Code` ("Success" or an error code such as EventBusNotExist / EventRuleNotExisted)
 * and `Success`; the Terraform provider reads a not-found both from an error and from a 200
 * answer's Code (terraform-provider-alicloud alicloud/service_alicloud_event_bridge.go), so both
 * stay optional here and deploy/eventbridge-answer.ts decides.
 */

/** EventBridge's envelope: `Code`, `Success`, `Message` beside `Data` (absent when Code is an error). */
const ebAnswer = <T extends z.ZodMiniObject>(data: T) =>
  z.object({
    RequestId: z.string(),
    Code: z.optional(z.string()),
    Success: z.optional(z.boolean()),
    Message: z.optional(z.string()),
    Data: z.optional(data),
  });

export const EVENTBRIDGE = {
  CreateEventBus: {
    write: true,
    params: [str('EventBusName', true), str('Description')],
    response: /* @__PURE__ */ onFirstUse(() => ebAnswer(z.object({ EventBusARN: z.optional(z.string()) }))),
  },
  GetEventBus: {
    write: false,
    params: [str('EventBusName', true)],
    response: /* @__PURE__ */ onFirstUse(() => ebAnswer(z.object({ EventBusName: z.string(), EventBusARN: z.optional(z.string()) }))),
  },
  CreateRule: {
    write: true,
    params: [
      str('EventBusName', true),
      str('RuleName', true),
      str('FilterPattern', true),
      str('Status'),
      str('Description'),
      json('EventTargets'),
    ],
    response: /* @__PURE__ */ onFirstUse(() => ebAnswer(z.object({ RuleARN: z.optional(z.string()) }))),
  },
  GetRule: {
    write: false,
    params: [str('EventBusName', true), str('RuleName', true)],
    response: /* @__PURE__ */ onFirstUse(() =>
      ebAnswer(
        z.object({
          RuleName: z.string(),
          FilterPattern: z.string(),
          Status: z.string(),
          Targets: z.optional(z.array(z.object({ Id: z.string(), Type: z.string(), Endpoint: z.optional(z.string()) }))),
        }),
      ),
    ),
  },
  PutTargets: {
    write: true,
    params: [str('EventBusName', true), str('RuleName', true), json('Targets', true)],
    response: /* @__PURE__ */ onFirstUse(() =>
      ebAnswer(
        z.object({
          ErrorEntriesCount: z.optional(z.number()),
          ErrorEntries: z.optional(
            z.array(z.object({ EntryId: z.optional(z.string()), ErrorCode: z.optional(z.string()), ErrorMessage: z.optional(z.string()) })),
          ),
        }),
      ),
    ),
  },
} satisfies Record<string, ActionDef>;
