import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedProvisionedLinks } from '../local/emulators/bulk-links.ts';
import { MANAGED_BY, TAG } from '../shared/derived.ts';
import { DEFAULT_TIMINGS, DEMO } from '../local/emulators/fixtures.ts';
import { TEST_TAGS, callsTo, startTestWorld, type TestWorld } from './support/stack.ts';

/**
 * Paging limits as the metadata states them, also where its schema disagrees with its text:
 * PrivateLink lists by 50 ("取值范围：1~50"), DescribeSecurityGroups by NextToken/MaxResults ≤100
 * (PageNumber/PageSize "即将下线"). The emulator refuses pages the real services refuse.
 */

const VPC = DEMO.vpcId;
const TAGS = TEST_TAGS;

let w: TestWorld;
beforeEach(async () => {
  w = await startTestWorld(DEFAULT_TIMINGS);
});
afterEach(() => w.emu.close());

const calls = (action: string) => callsTo(w, action);

describe('paging limits', () => {
  it('pages DescribeSecurityGroups with NextToken and MaxResults (PageNumber/PageSize are 即将下线)', async () => {
    for (let i = 0; i < 120; i++)
      await w.apis.securityGroups.create({
        vpcId: VPC,
        name: `zpl-many-${i}`,
        description: 'many groups',
        tags: TAGS,
        clientToken: `sg-many-${i}`,
      });
    const found = await w.apis.securityGroups.find({ vpcId: VPC, tags: TAGS });
    expect(found).toHaveLength(120);
    const sent = calls('DescribeSecurityGroups').map((c) => [
      c.params?.MaxResults,
      c.params?.NextToken === undefined ? 'first' : 'next',
      c.params?.PageNumber,
      c.params?.PageSize,
    ]);
    expect(sent).toEqual([
      [100, 'first', undefined, undefined],
      [100, 'next', undefined, undefined],
    ]);
    // MaxResults "最大值为100".
    await expect(
      w.transport().call('Ecs', 'DescribeSecurityGroups', 'cn-hangzhou', { RegionId: 'cn-hangzhou', MaxResults: 101 }),
    ).rejects.toMatchObject({ code: 'InvalidParameter' });
  });

  it("the drift check's batched reads page through 120 managed links: endpoints by 50, security groups by 100", async () => {
    seedProvisionedLinks(w.emu.world, 120);
    const managed = [{ Key: TAG.managedBy, Value: MANAGED_BY }];
    expect(await w.apis.privateLink.listEndpoints({ tags: managed })).toHaveLength(120);
    expect(await w.apis.securityGroups.find({ tags: managed })).toHaveLength(120);
    expect(calls('ListVpcEndpoints').map((c) => [c.ok, c.params?.MaxResults])).toEqual([
      [true, 50],
      [true, 50],
      [true, 50],
    ]);
    expect(calls('DescribeSecurityGroups').map((c) => [c.ok, c.params?.MaxResults])).toEqual([
      [true, 100],
      [true, 100],
    ]);
  });

  it('pages PrivateLink lists by 50: MaxResults "取值范围：1~50" although the schema says ≤1000', async () => {
    const t = w.transport();
    await expect(
      t.call('Privatelink', 'ListVpcEndpoints', 'cn-hangzhou', { RegionId: 'cn-hangzhou', MaxResults: 51 }),
    ).rejects.toMatchObject({
      code: 'InvalidParameter',
      httpStatus: 400,
    });
    await expect(
      t.call('Privatelink', 'ListVpcEndpointServicesByEndUser', 'cn-hangzhou', { RegionId: 'cn-hangzhou', MaxResults: 51 }),
    ).rejects.toMatchObject({ code: 'InvalidParameter' });
    await expect(
      t.call('Privatelink', 'ListVpcEndpoints', 'cn-hangzhou', { RegionId: 'cn-hangzhou', MaxResults: 50 }),
    ).resolves.toMatchObject({
      Endpoints: [],
    });
    await w.apis.privateLink.listEndpoints({ vpcId: VPC });
    await w.apis.privateLink.servicesVisibleToMe();
    expect(
      [...calls('ListVpcEndpoints'), ...calls('ListVpcEndpointServicesByEndUser')].filter((c) => c.ok).map((c) => c.params?.MaxResults),
    ).toEqual([50, 50, 50]);
  });
});
