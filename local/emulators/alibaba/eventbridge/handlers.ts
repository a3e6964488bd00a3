import { type Handler, type HandlerContext, type Params, fail } from '../handler.ts';
import type { EventTarget } from './model.ts';

/**
 * EventBridge 2020-04-01 control plane, the actions the deploy step calls (deploy/eventbridge.ts).
 * Answers carry `Code`/`Success` beside `Data` (the metadata's response schemas). A missing bus
 * or rule is answered as the Terraform provider reads it: HTTP 200 with `Code: EventBusNotExist`
 * / `EventRuleNotExisted` (terraform-provider-alicloud alicloud/service_alicloud_event_bridge.go;
 * messages from the metadata's examples). Codes for creating what exists are in no source we hold
 * (UNVERIFIED): the deploy step looks before it creates, so it never relies on them.
 */

const ok = (data: Record<string, unknown>) => ({ Code: 'Success', Success: true, Message: '', Data: data });
const busMissing = (name: string) => ({ Code: 'EventBusNotExist', Success: false, Message: `The event bus [${name}] not existed!` });
const ruleMissing = () => ({ Code: 'EventRuleNotExisted', Success: false, Message: 'The event rule not existed!' });

// The emulated control plane serves the demo region (one eventbridge-console endpoint per region).
const busArn = (ctx: HandlerContext, bus: string) => `acs:eventbridge:cn-hangzhou:${ctx.accountId}:eventbus/${bus}`;

// Bus names: "大小写英文字母、数字、-、_ … 2~127" is the console's rule (UNVERIFIED in the metadata);
// the emulator keeps to what flow-render.ts already accepts.
const BUS_NAME = /^[A-Za-z0-9_-]{1,127}$/;
// FC 3.0 function ARN (acs:fc:<region>:<account>:functions/<name>) or FC 2.0's services/<s>.<q>/functions/<f>
// (ListTargets' Endpoint example in the metadata).
const FC_ENDPOINT = /^acs:fc:[a-z0-9-]+:\d+:(?:functions\/[A-Za-z_][A-Za-z0-9_-]{0,127}|services\/[^/]+\/functions\/[^/]+)$/;

function targets(list: unknown): EventTarget[] {
  if (!Array.isArray(list)) return fail('InvalidParameter', 'The targets must be a JSON array.');
  return list.map((t) => {
    const target = t as EventTarget;
    if (!target || typeof target.Id !== 'string' || typeof target.Type !== 'string')
      fail('InvalidParameter', 'Each event target needs Id and Type.');
    if (target.Type === 'acs.fc.function' && !FC_ENDPOINT.test(String(target.Endpoint ?? ''))) {
      fail('EventRuleTargetEndpointInvalid', `The target in event rule is invalid! Endpoint is ${String(target.Endpoint)}`);
    }
    return { ...target };
  });
}

export const eventBridgeHandlers: Record<string, Handler> = {
  CreateEventBus(ctx, p: Params) {
    if (!BUS_NAME.test(p.EventBusName) || p.EventBusName === 'default')
      fail('InvalidParameter', `The event bus name [${p.EventBusName}] is invalid.`);
    if (ctx.world.eventbridge.buses.has(p.EventBusName))
      fail('EventBusAlreadyExist', `The event bus [${p.EventBusName}] already existed!`, 409);
    ctx.world.eventbridge.create(p.EventBusName, p.Description, ctx.world.now());
    return ok({ EventBusARN: busArn(ctx, p.EventBusName) });
  },

  GetEventBus(ctx, p: Params) {
    const bus = ctx.world.eventbridge.buses.get(p.EventBusName);
    if (!bus) return busMissing(p.EventBusName);
    return ok({
      EventBusName: bus.name,
      EventBusARN: busArn(ctx, bus.name),
      Description: bus.description ?? '',
      CreateTimestamp: bus.createdAt,
    });
  },

  CreateRule(ctx, p: Params) {
    const bus = ctx.world.eventbridge.buses.get(p.EventBusName);
    if (!bus) return busMissing(p.EventBusName);
    if (bus.rules.has(p.RuleName)) fail('EventRuleAlreadyExist', `The event rule [${p.RuleName}] already existed!`, 409);
    try {
      JSON.parse(p.FilterPattern);
    } catch {
      fail('InvalidParameter', 'The FilterPattern is not valid JSON.');
    }
    const status = p.Status ?? 'ENABLE';
    if (status !== 'ENABLE' && status !== 'DISABLE') fail('InvalidParameter', `The Status [${status}] is invalid.`);
    bus.rules.set(p.RuleName, {
      name: p.RuleName,
      filterPattern: p.FilterPattern,
      status,
      description: p.Description,
      targets: p.EventTargets === undefined ? [] : targets(p.EventTargets),
    });
    return ok({ RuleARN: `${busArn(ctx, bus.name)}/rule/${p.RuleName}` });
  },

  GetRule(ctx, p: Params) {
    const bus = ctx.world.eventbridge.buses.get(p.EventBusName);
    if (!bus) return busMissing(p.EventBusName);
    const rule = bus.rules.get(p.RuleName);
    if (!rule) return ruleMissing();
    return ok({
      RuleName: rule.name,
      EventBusName: bus.name,
      RuleARN: `${busArn(ctx, bus.name)}/rule/${rule.name}`,
      FilterPattern: rule.filterPattern,
      Status: rule.status,
      Description: rule.description ?? '',
      Targets: rule.targets.map((t) => ({ ...t })),
    });
  },

  PutTargets(ctx, p: Params) {
    const bus = ctx.world.eventbridge.buses.get(p.EventBusName);
    if (!bus) return busMissing(p.EventBusName);
    const rule = bus.rules.get(p.RuleName);
    if (!rule) return ruleMissing();
    // Adds new targets and updates those with the same Id ("需要新增或更新的事件目标列表", metadata).
    for (const t of targets(p.Targets)) {
      const at = rule.targets.findIndex((x) => x.Id === t.Id);
      if (at >= 0) rule.targets[at] = t;
      else rule.targets.push(t);
    }
    return ok({ ErrorEntriesCount: 0, ErrorEntries: [] });
  },
};
