import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { actionDef, CATALOG_ENTRIES, CATALOG_BY_PRODUCT } from '../shared/aliyun/catalog.ts';
import { PRODUCTS, type Product } from '../shared/aliyun/products.ts';
import { AliyunTransport } from '../shared/aliyun/rpc.ts';
import { ramAction } from '../deploy/policy.ts';
import { DEFAULT_TIMINGS, DEMO } from '../local/emulators/fixtures.ts';
import { listenLoopback, signedPeer } from './support/signed-peer.ts';
import { startTestWorld, testEndpoint, testSecurityGroup, type TestWorld } from './support/stack.ts';

/**
 * An action is named by product and action: ECS and PrivateLink both have TagResources
 * (ecs_2014-05-26.json and privatelink_2020-04-15.json, TagResources), with other parameters,
 * other parameter locations and other RAM actions.
 */

describe('one action name, two products', () => {
  it('the catalog holds ECS and PrivateLink TagResources apart: parameters, locations and RAM actions', () => {
    const ecs = actionDef('Ecs', 'TagResources');
    const privatelink = actionDef('Privatelink', 'TagResources');
    expect(ecs).not.toBe(privatelink);
    // ECS: the query, no ClientToken (ecs_2014-05-26.json TagResources).
    expect(ecs.params.map((p) => [p.name, p.in ?? 'query'])).toEqual([
      ['RegionId', 'query'],
      ['ResourceType', 'query'],
      ['ResourceId', 'query'],
      ['Tag', 'query'],
    ]);
    // PrivateLink: the form body, with ClientToken (privatelink_2020-04-15.json TagResources).
    expect(privatelink.params.map((p) => [p.name, p.in ?? 'query'])).toEqual([
      ['RegionId', 'body'],
      ['ResourceId', 'body'],
      ['ResourceType', 'body'],
      ['Tag', 'body'],
      ['ClientToken', 'body'],
    ]);
    expect(ramAction('Ecs', 'TagResources')).toBe('ecs:TagResources');
    expect(ramAction('Privatelink', 'TagResources')).toBe('privatelink:TagResources');
    expect(ramAction('Ecs', 'UntagResources')).toBe('ecs:UntagResources');
    expect(ramAction('Privatelink', 'UntagResources')).toBe('privatelink:UntagResources');
    // Another product's action, or an unknown product, is no action.
    expect(actionDef('Vpc', 'TagResources')).toBeUndefined();
    expect(actionDef('Ecs', 'CreateVpcEndpoint')).toBeUndefined();
    expect(actionDef('Nope', 'TagResources')).toBeUndefined();
    expect(actionDef('Ecs', 'hasOwnProperty')).toBeUndefined();
  });

  it('each entry is its own product’s, and TagResources and UntagResources are the names two products share', () => {
    const byName = new Map<string, Product[]>();
    for (const { product, action, def } of CATALOG_ENTRIES) {
      expect(actionDef(product, action)).toBe(def);
      byName.set(action, [...(byName.get(action) ?? []), product]);
    }
    const shared = [...byName].filter(([, products]) => products.length > 1);
    expect(shared.sort()).toEqual([
      ['TagResources', ['Privatelink', 'Ecs']],
      ['UntagResources', ['Privatelink', 'Ecs']],
    ]);
  });

  it('no two products share an API version (the emulator’s gateway finds the product from it)', () => {
    const versions = Object.values(PRODUCTS).map((p) => p.version);
    expect(new Set(versions).size).toBe(versions.length);
  });
});

/** A loopback peer per product that records each request as the signature verifier reads it. */
interface Seen {
  at: Product;
  method: string;
  version: string | undefined;
  action: string | undefined;
  query: Record<string, string>;
  form: Record<string, string>;
}
const SECRET = 'by-product-secret';
const seen: Seen[] = [];
const peers = (['Ecs', 'Privatelink'] as const).map((at) =>
  signedPeer('AK-PRODUCT', SECRET, ({ method, headers, query, form, verified }) => {
    seen.push({ at, method, version: headers['x-acs-version'], action: verified.action, query, form });
    return { RequestId: `R-${at}` };
  }),
);
const urls: Partial<Record<Product, string>> = {};

describe('through the transport', () => {
  beforeAll(async () => {
    for (const [i, at] of (['Ecs', 'Privatelink'] as const).entries()) {
      urls[at] = await listenLoopback(peers[i]!);
    }
  });
  afterAll(() => peers.forEach((s) => s.close()));

  it('each TagResources goes to its product’s endpoint with its version, its parameters where that API takes them', async () => {
    seen.length = 0;
    const t = new AliyunTransport({
      catalog: CATALOG_BY_PRODUCT,
      endpoints: urls,
      credentials: { accessKeyId: 'AK-PRODUCT', accessKeySecret: SECRET },
      retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
    });
    const tag = [{ Key: 'team', Value: 'search' }];
    await expect(
      t.call('Ecs', 'TagResources', 'cn-hangzhou', {
        RegionId: 'cn-hangzhou',
        ResourceType: 'securitygroup',
        ResourceId: ['sg-1'],
        Tag: tag,
      }),
    ).resolves.toEqual({ RequestId: 'R-Ecs' });
    await expect(
      t.call('Privatelink', 'TagResources', 'cn-hangzhou', {
        RegionId: 'cn-hangzhou',
        ResourceType: 'vpcendpoint',
        ResourceId: ['ep-1'],
        Tag: tag,
        ClientToken: 'tok-1',
      }),
    ).resolves.toEqual({ RequestId: 'R-Privatelink' });
    expect(seen).toEqual([
      {
        at: 'Ecs',
        method: 'POST',
        version: '2014-05-26',
        action: 'TagResources',
        query: {
          RegionId: 'cn-hangzhou',
          ResourceType: 'securitygroup',
          'ResourceId.1': 'sg-1',
          'Tag.1.Key': 'team',
          'Tag.1.Value': 'search',
        },
        form: {},
      },
      {
        at: 'Privatelink',
        method: 'POST',
        version: '2020-04-15',
        action: 'TagResources',
        query: {},
        form: {
          RegionId: 'cn-hangzhou',
          ResourceType: 'vpcendpoint',
          'ResourceId.1': 'ep-1',
          'Tag.1.Key': 'team',
          'Tag.1.Value': 'search',
          ClientToken: 'tok-1',
        },
      },
    ]);
  });

  it('refuses a product/action pair the catalog does not hold, before any request', async () => {
    seen.length = 0;
    const t = new AliyunTransport({
      catalog: CATALOG_BY_PRODUCT,
      endpoints: urls,
      credentials: { accessKeyId: 'AK-PRODUCT', accessKeySecret: SECRET },
    });
    await expect(t.call('Vpc', 'TagResources' as never, 'cn-hangzhou', {})).rejects.toThrow('no Vpc action TagResources in the catalog');
    expect(seen).toEqual([]);
  });
});

describe('through the emulator', () => {
  let w: TestWorld;
  afterEach(() => w.emu.close());

  it('PrivateLink TagResources reaches PrivateLink, ECS TagResources reaches ECS; a fault named Product.Action hits only that product’s', async () => {
    w = await startTestWorld(DEFAULT_TIMINGS);
    const sg = await testSecurityGroup(w);
    const EndpointId = await testEndpoint(w, sg);
    const t = w.transport({ retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 } });
    const mark = w.emu.calls.calls.length;
    await expect(
      t.call('Privatelink', 'TagResources', DEMO.region, {
        RegionId: DEMO.region,
        ResourceType: 'vpcendpoint',
        ResourceId: [EndpointId],
        Tag: [{ Key: 'team', Value: 'search' }],
      }),
    ).resolves.toMatchObject({ RequestId: expect.any(String) });
    expect(w.emu.world.endpoints.get(EndpointId)!.tags).toEqual(expect.arrayContaining([{ Key: 'team', Value: 'search' }]));
    // Was refused as not emulated (InvalidAction.NotFound); ECS's tagging is emulated now.
    w.emu.faults.add({ target: 'Privatelink.TagResources', kind: 'error', code: 'Throttling.User', httpStatus: 400 });
    await expect(
      t.call('Ecs', 'TagResources', DEMO.region, {
        RegionId: DEMO.region,
        ResourceType: 'securitygroup',
        ResourceId: [sg],
        Tag: [{ Key: 'team', Value: 'search' }],
      }),
    ).resolves.toMatchObject({ RequestId: expect.any(String) });
    expect(w.emu.world.securityGroups.get(sg)!.tags).toContainEqual({ Key: 'team', Value: 'search' });
    expect(w.emu.world.endpoints.get(EndpointId)!.tags.filter((x) => x.Key === 'team')).toHaveLength(1);
    expect(w.emu.calls.calls.slice(mark).map((c) => [c.product, c.action, c.ok, c.code ?? null])).toEqual([
      ['Privatelink', 'TagResources', true, null],
      ['Ecs', 'TagResources', true, null],
    ]);
  });
});
