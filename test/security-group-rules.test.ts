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

describe('RevokeSecurityGroup as ECS documents it', () => {
  const permission = {
    IpProtocol: 'TCP',
    PortRange: '19530/19530',
    SourceCidrIp: '10.0.0.0/16',
    Policy: 'accept',
    Priority: '1',
    NicType: 'intranet',
  };
  const revoke = (params: Record<string, unknown>) =>
    w
      .transport({ retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 } })
      .call('Ecs', 'RevokeSecurityGroup', 'cn-hangzhou', { RegionId: 'cn-hangzhou', ...params });

  async function twoRules() {
    const id = await securityGroup();
    await w.transport().call('Ecs', 'AuthorizeSecurityGroup', 'cn-hangzhou', {
      RegionId: 'cn-hangzhou',
      SecurityGroupId: id,
      Permissions: [permission, { ...permission, SourceCidrIp: '10.1.0.0/16' }],
    });
    const described = await w.apis.securityGroups.describe(id);
    return { id, ruleIds: described!.Permissions.Permission.map((r) => r.SecurityGroupRuleId) };
  }

  it('lists each rule with its SecurityGroupRuleId and revokes by ID, at most 100 a call', async () => {
    const { id, ruleIds } = await twoRules();
    expect(ruleIds).toHaveLength(2);
    expect(ruleIds.every((r) => /^sgr-/.test(r))).toBe(true);
    await w.apis.securityGroups.revoke(id, [ruleIds[0]!], (batch) => `revoke-${batch.length}`);
    expect(w.emu.world.securityGroups.get(id)!.rules.map((r) => r.SourceCidrIp)).toEqual(['10.1.0.0/16']);
    await expect(
      revoke({ SecurityGroupId: id, SecurityGroupRuleId: Array.from({ length: 101 }, (_, i) => `sgr-${i}`) }),
    ).rejects.toMatchObject({
      code: 'InvalidParameter',
      httpStatus: 400,
    });
  });

  it('refuses an ID the group lacks (InvalidParam.SecurityGroupRuleId, the whole call), an ID twice, and IDs mixed with Permissions.N', async () => {
    const { id, ruleIds } = await twoRules();
    await expect(revoke({ SecurityGroupId: id, SecurityGroupRuleId: [ruleIds[0], 'sgr-bp1nosuchrule0000001'] })).rejects.toMatchObject({
      code: 'InvalidParam.SecurityGroupRuleId',
      httpStatus: 400,
    });
    await expect(revoke({ SecurityGroupId: id, SecurityGroupRuleId: [ruleIds[0], ruleIds[0]] })).rejects.toMatchObject({
      code: 'InvalidParam.SecurityGroupRuleIdRepeated',
    });
    await expect(revoke({ SecurityGroupId: id, SecurityGroupRuleId: [ruleIds[0]], Permissions: [permission] })).rejects.toMatchObject({
      code: 'InvalidParam.Permissions',
    });
    expect(w.emu.world.securityGroups.get(id)!.rules).toHaveLength(2);
  });

  it('by Permissions.N: the rule described is revoked; one that matches nothing is a success that changes nothing', async () => {
    const { id } = await twoRules();
    await revoke({ SecurityGroupId: id, Permissions: [{ ...permission, SourceCidrIp: '192.168.0.0/16' }] });
    expect(w.emu.world.securityGroups.get(id)!.rules).toHaveLength(2);
    await revoke({ SecurityGroupId: id, Permissions: [permission] });
    expect(w.emu.world.securityGroups.get(id)!.rules.map((r) => r.SourceCidrIp)).toEqual(['10.1.0.0/16']);
  });
});
