import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../local/stack.ts';
import { demoSpec, provision, startTestStack } from './support/provision.ts';
import { DEFAULT_EVENT_BUS } from '../shared/flow-render.ts';
import { EventBridgeModel } from '../local/emulators/alibaba/eventbridge/model.ts';

/**
 * EventBridge as PutEvents sees it: a custom source cannot publish to the default bus, and a
 * bus must exist. The old configuration (intake on `Default`, outcomes on a bus nothing made)
 * fails here.
 */

const event = (eventBusName: string, source = 'zilliz-privatelink') => ({
  eventBusName,
  id: 'e1',
  source,
  type: 'zpl.link.succeeded',
  data: {},
});

describe('event buses', () => {
  let buses: EventBridgeModel;
  beforeAll(() => {
    buses = new EventBridgeModel();
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

describe('outcome events on the local stack', () => {
  let stack: Stack | undefined;
  afterEach(async () => {
    await stack?.stop();
    stack = undefined;
  });

  it('publishes the outcome on zpl’s bus and says so in the execution output', async () => {
    stack = await startTestStack();
    const run = await provision(stack, demoSpec());
    expect(run.rec.status).toBe('Succeeded');
    expect(JSON.parse(run.rec.output!)).toMatchObject({ announced: { ok: true } });
    expect(stack.edge.published.map((e) => [e.eventBusName, e.type])).toEqual([[DEFAULT_EVENT_BUS, 'zpl.link.succeeded']]);
  });

  it('a PutEvents that fails is not swallowed: the output carries its code and message', async () => {
    stack = await startTestStack();
    stack.edge.buses.remove();
    const run = await provision(stack, demoSpec());
    expect(run.rec.status).toBe('Succeeded');
    expect(JSON.parse(run.rec.output!)).toMatchObject({
      report: { ok: true },
      announced: { ok: false, code: 'EventBridge.EventBusNotExist', message: expect.stringContaining(DEFAULT_EVENT_BUS) },
    });
    expect(stack.edge.published).toEqual([]);
  });
});
