import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_TIMINGS } from '../local/emulators/fixtures.ts';
import { callsTo, testSecurityGroup, startTestWorld, type TestWorld } from './support/stack.ts';

/**
 * AuthorizeSecurityGroup as ECS documents it: at most 100 `Permissions.N`, no permission twice in
 * one call (`InvalidParam.DuplicatePermissions`), never mixed with the legacy top-level rule fields
 * (`InvalidParam.Permissions`); and the product's API, which splits and de-duplicates.
 */

let w: TestWorld;
beforeEach(async () => {
  w = await startTestWorld(DEFAULT_TIMINGS);
});
afterEach(() => w.emu.close());

const calls = (action: string) => callsTo(w, action);

const securityGroup = () => testSecurityGroup(w);

describe('security group rules', () => {
  it('refuses a call that repeats a permission, and more than 100 in one call, as ECS does', async () => {
    const id = await securityGroup();
    const permission = {
      IpProtocol: 'TCP',
      PortRange: '19530/19530',
      SourceCidrIp: '10.0.0.0/16',
      Policy: 'accept',
      Priority: '1',
      NicType: 'intranet',
    };
    // The same rule twice in one call, even with other descriptions: InvalidParam.DuplicatePermissions (metadata, 400).
    await expect(
      w.transport().call('Ecs', 'AuthorizeSecurityGroup', 'cn-hangzhou', {
        RegionId: 'cn-hangzhou',
        SecurityGroupId: id,
        Permissions: [
          { ...permission, Description: 'a' },
          { ...permission, Description: 'b' },
        ],
      }),
    ).rejects.toMatchObject({ code: 'InvalidParam.DuplicatePermissions', httpStatus: 400, retryable: false });
    expect(w.emu.world.securityGroups.get(id)!.rules).toEqual([]);
    // Permissions.N: "N的取值范围：1~100".
    const many = Array.from({ length: 101 }, (_, i) => ({ ...permission, SourceCidrIp: `10.${i}.0.0/16` }));
    await expect(
      w
        .transport()
        .call('Ecs', 'AuthorizeSecurityGroup', 'cn-hangzhou', { RegionId: 'cn-hangzhou', SecurityGroupId: id, Permissions: many }),
    ).rejects.toMatchObject({ code: 'InvalidParameter', httpStatus: 400 });
    // A rule the group already has, sent again in a later call, is accepted without adding one.
    await w
      .transport()
      .call('Ecs', 'AuthorizeSecurityGroup', 'cn-hangzhou', { RegionId: 'cn-hangzhou', SecurityGroupId: id, Permissions: [permission] });
    await w
      .transport()
      .call('Ecs', 'AuthorizeSecurityGroup', 'cn-hangzhou', { RegionId: 'cn-hangzhou', SecurityGroupId: id, Permissions: [permission] });
    expect(w.emu.world.securityGroups.get(id)!.rules).toHaveLength(1);
  });

  it('the API sends rules each once, at most 100 per call, only as Permissions.N', async () => {
    const id = await securityGroup();
    const rules = Array.from({ length: 230 }, (_, i) => ({
      protocol: 'TCP' as const,
      portRange: '19530/19530',
      sourceCidr: `10.${i % 205}.0.0/16`,
      description: 'zilliz',
    }));
    const tokens: number[] = [];
    // 205 distinct rules go out in three calls; ECS holds at most 200 a group ("出方向和入方向安全组规则数量
    // 不能超过200条", metadata), so the third is refused (AuthorizationLimitExceed, 403) and adds none.
    await expect(w.apis.securityGroups.authorize(id, rules, (batch) => `auth-${tokens.push(batch.length)}`)).rejects.toMatchObject({
      code: 'AuthorizationLimitExceed',
      httpStatus: 403,
    });
    expect(tokens).toEqual([100, 100, 5]);
    const sent = calls('AuthorizeSecurityGroup');
    expect(sent.map((c) => [c.ok, (c.params?.Permissions as unknown[]).length, c.params?.ClientToken])).toEqual([
      [true, 100, 'auth-1'],
      [true, 100, 'auth-2'],
      [false, 5, 'auth-3'],
    ]);
    for (const c of sent)
      for (const legacy of ['IpProtocol', 'PortRange', 'SourceCidrIp', 'Policy', 'Priority', 'NicType', 'Description'])
        expect(c.params?.[legacy]).toBeUndefined();
    expect(w.emu.world.securityGroups.get(id)!.rules).toHaveLength(200);
  });
});
