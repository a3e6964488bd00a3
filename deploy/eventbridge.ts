import { EVENTBRIDGE } from '../shared/aliyun/catalog/eventbridge.ts';
import type { AliyunTransport } from '../shared/aliyun/rpc.ts';
import { AliyunError } from '../shared/aliyun/errors.ts';
import { DEFAULT_EVENT_BUS } from '../shared/flow-render.ts';
import { LINK_REQUESTED } from '../shared/events/link-requested.ts';
import { fc3FunctionArn } from '../shared/fc-arn.ts';

/**
 * The deploy step for ticket intake (`zpl deploy-bus`, after `s deploy`): a custom EventBridge
 * bus and, on it, a rule that sends `zpl.link.requested` events to the zpl-events function.
 * FC's eventbridge trigger cannot do it: its `eventSourceType` names event sources, and `Default`
 * is "Alibaba Cloud service event sources" (FC EventSourceConfig,
 * help.aliyun.com/zh/functioncompute/fc/developer-reference/api-fc-2023-03-30-struct-eventsourceconfig),
 * while custom events "can be published only to a custom event bus"
 * (alibabacloud.com/help/en/doc-detail/163897.htm). The flows announce outcomes on the same bus.
 *
 * Idempotent: every resource is looked up first and reused (GetEventBus → CreateEventBus,
 * GetRule → CreateRule, a missing or changed target → PutTargets, which "adds or updates" targets
 * by Id). Actions and parameter names: EventBridge 2020-04-01 OpenAPI metadata (vendored in
 * test/reference/aliyun-openapi-meta/eventbridge_2020-04-01.json); the same calls as Terraform's
 * alicloud_event_bridge_event_bus / alicloud_event_bridge_rule
 * (terraform-provider-alicloud alicloud/resource_alicloud_event_bridge_{event_bus,rule}.go).
 */

export const INTAKE_FUNCTION = 'zpl-events';
export const INTAKE_RULE = 'zpl-link-requested';
export const INTAKE_TARGET_ID = 'zpl-events';
/** The rule's pattern: the same filter the old FC trigger carried. */
export const INTAKE_PATTERN = JSON.stringify({ type: [LINK_REQUESTED] });

/** The RAM actions the deploying identity needs for this step (README, "Deploying"). */
export const BUS_DEPLOY_ACTIONS = [
  'eventbridge:GetEventBus',
  'eventbridge:CreateEventBus',
  'eventbridge:GetRule',
  'eventbridge:CreateRule',
  'eventbridge:PutTargets',
] as const;

export interface BusDeployOptions {
  region: string;
  accountId: string;
  eventBus?: string;
  functionName?: string;
}

export type Change = 'created' | 'reused' | 'updated';

export interface BusDeployResult {
  bus: { name: string; change: Change };
  rule: { name: string; change: Change };
  target: { id: string; endpoint: string; change: Change };
}

export { fc3FunctionArn };

/**
 * The rule's target. `Type: acs.fc.function` with the function's ARN as `Endpoint` (ListTargets'
 * metadata example). ParamList after the EventBridge "事件目标参数" page (~~185887~~): which
 * function, which qualifier, and `Body` ORIGINAL — the whole CloudEvent, the envelope
 * functions/events reads (the same as the old trigger's `eventSchema: CloudEvents`). Whether FC
 * 3.0 still wants `serviceName` is UNVERIFIED; the function ARN alone names an FC 3.0 function.
 */
export function intakeTarget(opts: BusDeployOptions) {
  const name = opts.functionName ?? INTAKE_FUNCTION;
  return {
    Id: INTAKE_TARGET_ID,
    Type: 'acs.fc.function',
    Endpoint: fc3FunctionArn(opts.region, opts.accountId, name),
    PushRetryStrategy: 'BACKOFF_RETRY',
    ErrorsTolerance: 'ALL',
    ParamList: [
      { ResourceKey: 'functionName', Form: 'CONSTANT', Value: name },
      { ResourceKey: 'Qualifier', Form: 'CONSTANT', Value: 'LATEST' },
      { ResourceKey: 'Body', Form: 'ORIGINAL' },
    ],
  };
}

/** An answer whose `Code` is not Success is an error even on HTTP 200 (see the catalog note). */
function codeOf(answer: { Code?: string; Success?: boolean }): string | undefined {
  if (answer.Code !== undefined && answer.Code !== 'Success') return answer.Code;
  if (answer.Success === false) return 'Unknown';
  return undefined;
}

/** Reads a resource: undefined when EventBridge says it does not exist, by error or by answer. */
async function lookUp<T extends { Code?: string; Success?: boolean; Message?: string }>(
  call: () => Promise<T>,
  missing: string[],
): Promise<T | undefined> {
  let answer: T;
  try {
    answer = await call();
  } catch (e) {
    if (e instanceof AliyunError && missing.includes(e.code)) return undefined;
    throw e;
  }
  const code = codeOf(answer);
  if (code && missing.includes(code)) return undefined;
  if (code) throw new Error(`EventBridge answered ${code}: ${answer.Message ?? ''}`);
  return answer;
}

function mustSucceed(action: string, answer: { Code?: string; Success?: boolean; Message?: string }): void {
  const code = codeOf(answer);
  if (code) throw new Error(`EventBridge ${action} answered ${code}: ${answer.Message ?? ''}`);
}

export async function deployBus(transport: AliyunTransport, opts: BusDeployOptions): Promise<BusDeployResult> {
  transport.use('eventbridge', EVENTBRIDGE);
  const bus = opts.eventBus ?? DEFAULT_EVENT_BUS;
  const target = intakeTarget(opts);
  const out: BusDeployResult = {
    bus: { name: bus, change: 'reused' },
    rule: { name: INTAKE_RULE, change: 'reused' },
    target: { id: target.Id, endpoint: target.Endpoint, change: 'reused' },
  };

  const existingBus = await lookUp(
    () => transport.call('eventbridge', 'GetEventBus', opts.region, { EventBusName: bus }),
    ['EventBusNotExist'],
  );
  if (!existingBus) {
    mustSucceed(
      'CreateEventBus',
      await transport.call('eventbridge', 'CreateEventBus', opts.region, {
        EventBusName: bus,
        Description: 'zilliz-privatelink: ticket intake and outcome events',
      }),
    );
    out.bus.change = 'created';
  }

  const rule = await lookUp(
    () => transport.call('eventbridge', 'GetRule', opts.region, { EventBusName: bus, RuleName: INTAKE_RULE }),
    ['EventRuleNotExisted'],
  );
  if (!rule) {
    mustSucceed(
      'CreateRule',
      await transport.call('eventbridge', 'CreateRule', opts.region, {
        EventBusName: bus,
        RuleName: INTAKE_RULE,
        Description: 'zpl.link.requested to zpl-events',
        FilterPattern: INTAKE_PATTERN,
        Status: 'ENABLE',
        EventTargets: [target],
      }),
    );
    out.rule.change = 'created';
    out.target.change = 'created';
    return out;
  }
  if (rule.Data?.FilterPattern !== undefined && !samePattern(rule.Data.FilterPattern, INTAKE_PATTERN)) {
    // UpdateRule would change what someone else may rely on: say so instead of overwriting.
    throw new Error(
      `rule ${INTAKE_RULE} on bus ${bus} filters ${rule.Data.FilterPattern}, not ${INTAKE_PATTERN}: fix or delete it, then run again`,
    );
  }
  const have = rule.Data?.Targets?.find((t) => t.Id === target.Id);
  if (!have || have.Type !== target.Type || have.Endpoint !== target.Endpoint) {
    const answer = await transport.call('eventbridge', 'PutTargets', opts.region, {
      EventBusName: bus,
      RuleName: INTAKE_RULE,
      Targets: [target],
    });
    mustSucceed('PutTargets', answer);
    const failed = answer.Data?.ErrorEntries?.[0];
    if ((answer.Data?.ErrorEntriesCount ?? 0) > 0)
      throw new Error(
        `EventBridge PutTargets refused ${failed?.EntryId ?? target.Id}: ${failed?.ErrorCode ?? ''} ${failed?.ErrorMessage ?? ''}`,
      );
    out.target.change = have ? 'updated' : 'created';
  }
  return out;
}

function samePattern(a: string, b: string): boolean {
  try {
    return JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
  } catch {
    return false;
  }
}

/** What the step will do, as `zpl deploy-bus --plan` prints it (no call made). */
export function busDeployPlan(opts: BusDeployOptions): string[] {
  const bus = opts.eventBus ?? DEFAULT_EVENT_BUS;
  const t = intakeTarget(opts);
  return [
    `event bus ${bus} (GetEventBus; CreateEventBus if missing)`,
    `rule ${INTAKE_RULE} on ${bus}: FilterPattern ${INTAKE_PATTERN} (GetRule; CreateRule if missing)`,
    `target ${t.Id}: ${t.Type} ${t.Endpoint} (PutTargets if missing or different)`,
  ];
}
