import { describe, expect, it } from 'vitest';
import { DEMO } from '../local/emulators/fixtures.ts';
import { gatherTag, TAG } from '../shared/derived.ts';
import { parseLinkSpec } from '../shared/spec.ts';
import { demoSpec } from './support/provision.ts';
import { FAST, spec, worlds } from './steps/support.ts';

/**
 * Alibaba's tag rules (shared/tag-rules.ts, quoted from the official metadata): the emulators
 * refuse what PrivateLink and ECS refuse, with their codes, and the spec accepts only links
 * whose tags — zpl's own included — fit.
 */

const world = worlds();
const REGION = DEMO.region;
const TEN_CIDRS = Array.from({ length: 10 }, (_, i) => `172.16.${100 + i}.0/24`);

const problems = (over: Record<string, unknown>) => {
  const r = parseLinkSpec(demoSpec(over));
  return r.ok ? [] : r.errors.map((e) => `${e.field}: ${e.message}`);
};

describe('tag rules', () => {
  it('a spec with 10 CIDR blocks provisions its security group: zpl:cidrs is spread over values of ≤128 characters', async () => {
    expect(TEN_CIDRS.join(',').length).toBe(159);
    const w = await world({ timings: FAST });
    const s = spec({ allowedCidrs: TEN_CIDRS });
    const state = await w.provisionThrough('EnsureSecurityGroup', s);
    const sg = w.emu.world.securityGroups.get(state.securityGroupId!)!;
    expect(sg.tags.every((t) => t.Value.length <= 128)).toBe(true);
    expect(sg.tags.map((t) => t.Key)).toEqual(expect.arrayContaining([TAG.cidrs, `${TAG.cidrs}-2`]));
    expect(gatherTag(sg.tags, TAG.cidrs)).toEqual(TEN_CIDRS);
  });

  it('ECS refuses a 159-character tag value, a tag key starting with acs: and more than 20 tags', async () => {
    const w = await world();
    const call = (Tag: { Key: string; Value: string }[]) =>
      w.deps.aliyun.transport.call('Ecs', 'CreateSecurityGroup', REGION, {
        RegionId: REGION,
        VpcId: DEMO.vpcId,
        SecurityGroupName: 'zpl-tags',
        Tag,
      });
    await expect(call([{ Key: TAG.cidrs, Value: TEN_CIDRS.join(',') }])).rejects.toMatchObject({
      code: 'InvalidTagValue.Malformed',
      httpStatus: 400,
    });
    await expect(call([{ Key: 'team', Value: 'see https://example.com' }])).rejects.toMatchObject({
      code: 'InvalidTagValue.Malformed',
      httpStatus: 400,
    });
    await expect(call([{ Key: 'acs:team', Value: 'x' }])).rejects.toMatchObject({ code: 'InvalidTagKey.Malformed', httpStatus: 400 });
    const many = Array.from({ length: 21 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    // Tag maxItems 20 in the metadata: the gateway's schema check answers first.
    await expect(call(many)).rejects.toMatchObject({ code: 'InvalidParameter', httpStatus: 400 });
    expect(w.emu.world.securityGroups.size).toBe(0);
  });

  it('PrivateLink refuses keys over 64 characters, URLs, reserved prefixes, empty values and a 21st tag', async () => {
    const w = await world({ timings: FAST });
    const state = await w.provisionThrough('EnsureEndpoint');
    const tag = (Tag: { Key: string; Value: string }[]) =>
      w.deps.aliyun.transport.call('Privatelink', 'TagResources', REGION, {
        RegionId: REGION,
        ResourceType: 'vpcendpoint',
        ResourceId: [state.endpointId!],
        Tag,
      });
    await expect(tag([{ Key: 'k'.repeat(65), Value: 'v' }])).rejects.toMatchObject({ code: 'IllegalTagKeyParam', httpStatus: 400 });
    await expect(tag([{ Key: 'http://team', Value: 'v' }])).rejects.toMatchObject({ code: 'IllegalTagKeyParam', httpStatus: 400 });
    await expect(tag([{ Key: 'team', Value: 'aliyun-search' }])).rejects.toMatchObject({ code: 'IllegalTagValueParam', httpStatus: 400 });
    await expect(tag([{ Key: 'team', Value: 'v'.repeat(129) }])).rejects.toMatchObject({ code: 'IllegalTagValueParam', httpStatus: 400 });
    await expect(tag([{ Key: 'team', Value: '' }])).rejects.toMatchObject({ code: 'MissingTagValueParam', httpStatus: 400 });
    const held = w.emu.world.endpoints.get(state.endpointId!)!.tags.length;
    const fill = Array.from({ length: 21 - held }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    await expect(tag(fill)).rejects.toMatchObject({ code: 'QuotaExceed.TagsPerResource', httpStatus: 400 });
    expect(w.emu.world.endpoints.get(state.endpointId!)!.tags).toHaveLength(held);
  });

  it('the spec refuses user tags that break the vendors’ rules', () => {
    expect(problems({ tags: { ['k'.repeat(65)]: 'v' } }).join('\n')).toMatch(/at most 64/);
    expect(problems({ tags: { team: '' } }).join('\n')).toMatch(/empty/);
    expect(problems({ tags: { team: 'https://wiki' } }).join('\n')).toMatch(/http/);
    expect(problems({ tags: { team: 'acs:x' } }).join('\n')).toMatch(/aliyun or acs:/);
    expect(problems({ tags: { 'zpl:owner': 'me' } }).join('\n')).toMatch(/reserved/);
    expect(problems({ tags: { team: 'v'.repeat(129) } }).join('\n')).toMatch(/128/);
    expect(problems({ tags: { team: 'search', 'cost-center': 'c42' } })).toEqual([]);
  });

  it('the spec refuses links whose tags, zpl’s own included, would pass 20 on a resource', () => {
    const tenTags = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`team-${i}`, 'v']));
    // 10 user tags + 7 of zpl's own on the endpoint fit; many clusters spread over more zpl:clusters tags do not.
    expect(problems({ tags: tenTags })).toEqual([]);
    const clusters = Array.from({ length: 40 }, (_, i) => `in01-${i.toString(16).padStart(16, '0')}`);
    expect(problems({ tags: tenTags, clusters }).join('\n')).toMatch(/the endpoint would carry \d+ tags/);
    // Many CIDR blocks spread over more zpl:cidrs tags on the security group.
    const cidrs = Array.from({ length: 60 }, (_, i) => `10.${i}.0.0/16`);
    expect(problems({ tags: tenTags, allowedCidrs: cidrs }).join('\n')).toMatch(/the security group would carry \d+ tags/);
    expect(problems({ allowedCidrs: TEN_CIDRS })).toEqual([]);
  });

  it('with no user tags a link admits 65 clusters (25 with one zone per cluster), as the README says', () => {
    const clusters = (n: number) => Array.from({ length: n }, (_, i) => `in01-${i.toString(16).padStart(16, '0')}`);
    expect(problems({ clusters: clusters(65) })).toEqual([]);
    expect(problems({ clusters: clusters(66) }).join('\n')).toMatch(/the endpoint would carry 21 tags/);
    expect(problems({ clusters: clusters(25), dnsLayout: 'cluster-zone' })).toEqual([]);
    expect(problems({ clusters: clusters(26), dnsLayout: 'cluster-zone' }).join('\n')).toMatch(/the endpoint would carry 21 tags/);
  });
});
