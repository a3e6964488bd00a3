import { DEFAULT_EVENT_BUS } from '../../../../shared/flow-render.ts';
import { FlowError } from '../../../engine/flow-errors.ts';
import type { PublishedEvent } from '../../../engine/run.ts';
import { matchesPattern } from '../../../event-pattern.ts';

/**
 * EventBridge's buses as PutEvents sees them. "Events of custom applications or existing message
 * data can be published only to a custom event bus"; the default bus receives Alibaba Cloud
 * services' events (sources `acs.<product>`) (EventBridge docs, event buses:
 * https://www.alibabacloud.com/help/en/doc-detail/163897.htm). A bus nobody created does not
 * exist. The exact PutEvents error codes are in no metadata we hold (UNVERIFIED): the local engine
 * surfaces them as `EventBridge.*` errors. Buses, rules and their targets are made through the
 * emulated control plane (./handlers.ts) by the deploy step (deploy/eventbridge.ts), as on a
 * real account.
 */

export interface EventTarget {
  Id: string;
  Type: string;
  Endpoint?: string;
  [field: string]: unknown;
}

export interface EventRule {
  name: string;
  filterPattern: string;
  status: 'ENABLE' | 'DISABLE';
  description?: string;
  targets: EventTarget[];
}

export interface EventBus {
  name: string;
  description?: string;
  createdAt: number;
  rules: Map<string, EventRule>;
}

/** A target an accepted event is to be delivered to. */
export interface Delivery {
  rule: string;
  target: EventTarget;
}

/**
 * One set of buses, not scoped: the emulated control plane serves the stack's one account and
 * region (its ARNs name cn-hangzhou), and the local edge delivers PutEvents from these same buses
 * without an account.
 */
export class EventBridgeModel {
  readonly buses = new Map<string, EventBus>([['default', { name: 'default', createdAt: 0, rules: new Map() }]]);

  create(name: string = DEFAULT_EVENT_BUS, description?: string, now = 0): EventBus {
    let bus = this.buses.get(name);
    if (!bus) {
      bus = { name, description, createdAt: now, rules: new Map() };
      this.buses.set(name, bus);
    }
    return bus;
  }

  /** As on an account where the deploy step never ran (or someone deleted the bus). */
  remove(name: string = DEFAULT_EVENT_BUS): void {
    this.buses.delete(name);
  }

  /** Throws where PutEvents refuses the event; else the targets of every enabled rule it matches. */
  accept(event: PublishedEvent): Delivery[] {
    const bus = this.buses.get(event.eventBusName);
    if (!bus) {
      throw new FlowError('EventBridge.EventBusNotExist', `The event bus [${event.eventBusName}] not existed!`);
    }
    // Official sources are named acs.<product> (e.g. acs.ecs); anything else is a custom source.
    if (event.eventBusName === 'default' && !event.source.startsWith('acs.')) {
      throw new FlowError(
        'EventBridge.InvalidArgument',
        `custom event source ${event.source} cannot publish to the default bus; publish to a custom bus`,
      );
    }
    return [...bus.rules.values()]
      .filter((r) => r.status === 'ENABLE' && matchesPattern(r.filterPattern, event as unknown as Record<string, unknown>))
      .flatMap((r) => r.targets.map((target) => ({ rule: r.name, target })));
  }
}
