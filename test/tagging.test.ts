import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_TIMINGS, DEMO } from '../local/emulators/fixtures.ts';
import { startTestWorld, testEndpoint, testSecurityGroup, type TestWorld } from './support/stack.ts';

/**
 * Tagging as the two products document it (ecs_2014-05-26.json and privatelink_2020-04-15.json
 * TagResources/UntagResources): at most 20 tags a resource in both, each with its own codes; and
 * the endpoint's security groups (ListVpcEndpointSecurityGroups).
 */

let w: TestWorld;
beforeEach(async () => {
  w = await startTestWorld(DEFAULT_TIMINGS);
});
afterEach(() => w.emu.close());

const once = () => w.transport({ retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 } });
const tags = (n: number, prefix = 'k') => Array.from({ length: n }, (_, i) => ({ Key: `${prefix}${i}`, Value: 'v' }));

const endpoint = (sg: string) => testEndpoint(w, sg);

describe('ECS tags on security groups', () => {
  it('a group holds at most 20 tags: the 21st is OperationDenied.QuotaExceed, more than 20 in one call NumberExceed.Tags', async () => {
    const sg = await testSecurityGroup(w); // one tag
    await w.apis.securityGroups.tag(sg, tags(19));
    expect(w.emu.world.securityGroups.get(sg)!.tags).toHaveLength(20);
    await expect(w.apis.securityGroups.tag(sg, tags(1, 'extra'))).rejects.toMatchObject({
      code: 'OperationDenied.QuotaExceed',
      httpStatus: 400,
    });
    // A key it has already only changes the value.
    await w.apis.securityGroups.tag(sg, [{ Key: 'k0', Value: 'changed' }]);
    expect(w.emu.world.securityGroups.get(sg)!.tags).toContainEqual({ Key: 'k0', Value: 'changed' });
    await expect(
      once().call('Ecs', 'TagResources', DEMO.region, {
        RegionId: DEMO.region,
        ResourceType: 'securitygroup',
        ResourceId: [sg],
        Tag: tags(21),
      }),
    ).rejects.toMatchObject({ code: 'NumberExceed.Tags', httpStatus: 400 });
  });

  it('untags keys (one it lacks is no error); All with TagKey is Param.Conflict; another resource type or ID is not found', async () => {
    const sg = await testSecurityGroup(w);
    await w.apis.securityGroups.tag(sg, tags(3));
    await w.apis.securityGroups.untag(sg, ['k0', 'k1', 'never-there']);
    expect(w.emu.world.securityGroups.get(sg)!.tags.map((t) => t.Key)).toEqual(['zpl:link', 'k2']);
    const untag = (params: Record<string, unknown>) =>
      once().call('Ecs', 'UntagResources', DEMO.region, {
        RegionId: DEMO.region,
        ResourceType: 'securitygroup',
        ResourceId: [sg],
        ...params,
      });
    await expect(untag({ All: true, TagKey: ['k2'] })).rejects.toMatchObject({ code: 'Param.Conflict', httpStatus: 403 });
    await expect(untag({ ResourceType: 'instance', TagKey: ['k2'] })).rejects.toMatchObject({
      code: 'InvalidResourceType.NotFound',
      httpStatus: 404,
    });
    await expect(untag({ ResourceId: ['sg-bp1nosuchgroup000001'], TagKey: ['k2'] })).rejects.toMatchObject({
      code: 'InvalidResourceId.NotFound',
      httpStatus: 404,
    });
    await untag({ All: true });
    expect(w.emu.world.securityGroups.get(sg)!.tags).toEqual([]);
  });
});

describe('PrivateLink tags on endpoints and its security groups', () => {
  it('untags keys it carries; a key it lacks is TagInfoNotExist; a malformed key IllegalTagKeyParam', async () => {
    const sg = await testSecurityGroup(w);
    const id = await endpoint(sg);
    await w.apis.privateLink.tagEndpoint(id, tags(2), 'tag-1');
    await w.apis.privateLink.untagEndpoint(id, ['k0'], 'untag-1');
    expect(w.emu.world.endpoints.get(id)!.tags.map((t) => t.Key)).toEqual(['zpl:link', 'k1']);
    await expect(w.apis.privateLink.untagEndpoint(id, ['k0'], 'untag-2')).rejects.toMatchObject({
      code: 'TagInfoNotExist',
      httpStatus: 400,
    });
    await expect(w.apis.privateLink.untagEndpoint(id, ['acs:reserved'], 'untag-3')).rejects.toMatchObject({ code: 'IllegalTagKeyParam' });
    await expect(
      once().call('Privatelink', 'UntagResources', DEMO.region, {
        RegionId: DEMO.region,
        ResourceType: 'vpcendpoint',
        ResourceId: [id],
        TagKey: tags(21).map((t) => t.Key),
      }),
    ).rejects.toMatchObject({ code: 'InvalidParameter', httpStatus: 400 });
    expect(w.emu.world.endpoints.get(id)!.tags.map((t) => t.Key)).toEqual(['zpl:link', 'k1']);
  });

  it('lists the security groups an endpoint is in; an unknown endpoint is EndpointNotFound', async () => {
    const sg = await testSecurityGroup(w);
    const id = await endpoint(sg);
    expect(await w.apis.privateLink.endpointSecurityGroups(id)).toEqual([{ SecurityGroupId: sg }]);
    await expect(w.apis.privateLink.endpointSecurityGroups('ep-bp1nosuchendpoint001')).rejects.toMatchObject({ code: 'EndpointNotFound' });
  });
});
