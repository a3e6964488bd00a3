import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_EVENT_BUS } from '../shared/flow-render.ts';
import { EventBuses } from '../local/event-buses.ts';

/**
 * EventBridge as PutEvents sees it: a custom source cannot publish to the default bus, and a
 * bus must exist. The old configuration (intake on `Default`, outcomes on a bus nothing made)
 * fails here.
 */

const event = (eventBusName: string, source = 'zilliz-privatelink') => ({ eventBusName, id: 'e1', source, type: 'zpl.link.succeeded', data: {} });

describe('event buses', () => {
  let buses: EventBuses;
  beforeAll(() => {
    buses = new EventBuses();
  });

  it('refuses a custom event on the default bus, and on a bus nobody created', () => {
    expect(() => buses.accept(event('default'))).toThrow(expect.objectContaining({ code: 'EventBridge.InvalidArgument' }));
    expect(() => buses.accept(event(DEFAULT_EVENT_BUS))).toThrow(expect.objectContaining({ code: 'EventBridge.EventBusNotExist' }));
  });

  it('accepts an official source on the default bus and zpl events on zpl’s bus once created', () => {
    expect(() => buses.accept(event('default', 'acs.ecs'))).not.toThrow();
    buses.create();
    expect(() => buses.accept(event(DEFAULT_EVENT_BUS))).not.toThrow();
  });
});
