import { DEFAULT_EVENT_BUS } from '../shared/flow-render.ts';
import { FlowError } from './engine/flow-errors.ts';
import type { PublishedEvent } from './engine/run.ts';

/**
 * EventBridge's buses as PutEvents sees them. "Events of custom applications or existing message
 * data can be published only to a custom event bus"; the default bus receives Alibaba Cloud
 * services' events (sources `acs.<product>`) (EventBridge docs, event buses:
 * https://www.alibabacloud.com/help/en/doc-detail/163897.htm). A bus nobody created does not
 * exist. The exact error codes are in no metadata we hold (UNVERIFIED): the local engine
 * surfaces them as `EventBridge.*` errors. The local stack creates zpl's bus as a deploy would.
 */
export class EventBuses {
  private readonly names = new Set<string>(['default']);

  create(name: string = DEFAULT_EVENT_BUS): void {
    this.names.add(name);
  }

  /** As on an account where the deploy step never ran (or someone deleted the bus). */
  remove(name: string = DEFAULT_EVENT_BUS): void {
    this.names.delete(name);
  }

  /** Throws where PutEvents refuses the event. */
  accept(event: PublishedEvent): void {
    if (!this.names.has(event.eventBusName)) {
      throw new FlowError('EventBridge.EventBusNotExist', `The event bus [${event.eventBusName}] not existed!`);
    }
    // Official sources are named acs.<product> (e.g. acs.ecs); anything else is a custom source.
    if (event.eventBusName === 'default' && !event.source.startsWith('acs.')) {
      throw new FlowError('EventBridge.InvalidArgument', `custom event source ${event.source} cannot publish to the default bus; publish to a custom bus`);
    }
  }
}
