import { describe, expect, it } from 'vitest';
import { FaultBook } from '../local/emulators/faults.ts';

/** The fault book matches a fault to a call by action, or by product and action where two products share a name. */
describe('fault targets', () => {
  const fired = (book: FaultBook, call: Parameters<FaultBook['take']>[0]) => book.take(call).map((f) => f.target);

  it('a bare action name hits that action in every product; Product.Action only that product’s', () => {
    const book = new FaultBook();
    book.add({ target: 'Ecs.TagResources', kind: 'lostReply' });
    book.add({ target: 'UntagResources', kind: 'latency', latencyMs: 10 });
    expect(fired(book, { product: 'Privatelink', action: 'TagResources' })).toEqual([]);
    expect(fired(book, { product: 'Ecs', action: 'TagResources' })).toEqual(['Ecs.TagResources']);
    expect(fired(book, { product: 'Privatelink', action: 'UntagResources' })).toEqual(['UntagResources']);
    expect(fired(book, { product: 'Ecs', action: 'UntagResources' })).toEqual(['UntagResources']);
  });

  it('Zilliz operations and FnF actions are named alone, and * hits everything', () => {
    const book = new FaultBook();
    book.add({ target: 'registerEndpoint', kind: 'error', count: 1 });
    book.add({ target: '*', kind: 'latency', latencyMs: 1 });
    expect(fired(book, 'registerEndpoint')).toEqual(['registerEndpoint', '*']);
    expect(fired(book, 'registerEndpoint')).toEqual(['*']);
    expect(fired(book, { product: 'Ecs', action: 'RevokeSecurityGroup' })).toEqual(['*']);
  });
});
