import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_TIMINGS, DEMO } from '../local/emulators/fixtures.ts';
import { DEMO_ZONES, TEST_TAGS, testSecurityGroup, startTestWorld, type TestWorld } from './support/stack.ts';

/**
 * The teardown windows of the emulated clouds: an endpoint's security group stays held
 * (`DependencyViolation`, 403) after the endpoint is gone, until its ENIs are released.
 */

const VPC = DEMO.vpcId;
const TAGS = TEST_TAGS;

let w: TestWorld;
beforeEach(async () => {
  w = await startTestWorld(DEFAULT_TIMINGS);
});
afterEach(() => w.emu.close());

const ZONES = DEMO_ZONES;

const securityGroup = () => testSecurityGroup(w);

describe('teardown windows', () => {
  it('the security group of a deleted endpoint is held (DependencyViolation, 403) until its ENIs are released', async () => {
    const sg = await securityGroup();
    await w.zilliz.allowlistAccount(DEMO.projectId, 'ali-cn-hangzhou', DEMO.accountId);
    w.emu.clock.advance(60_000);
    const { EndpointId: id } = await w.apis.privateLink.createEndpoint({
      vpcId: VPC,
      serviceId: 'epsrv-bp1zillizhz0000001',
      securityGroupIds: [sg],
      zones: [ZONES[0]!],
      name: 'zpl-test',
      description: 'test endpoint',
      tags: TAGS,
      clientToken: 'ep-token-2',
    });
    w.emu.clock.advance(120_000);
    await w.apis.privateLink.removeZone(id, 'cn-hangzhou-h', 'rm-h');
    w.emu.clock.advance(30_000);
    await w.apis.privateLink.deleteEndpoint(id, 'del-1');
    w.emu.clock.advance(30_000);
    expect(await w.apis.privateLink.getEndpoint(id)).toBeUndefined();
    await expect(w.apis.securityGroups.delete(sg)).rejects.toMatchObject({
      code: 'DependencyViolation',
      httpStatus: 403,
      retryable: false,
    });
    w.emu.clock.advance(29_000);
    await expect(w.apis.securityGroups.delete(sg)).rejects.toMatchObject({ code: 'DependencyViolation' });
    w.emu.clock.advance(1_000);
    await w.apis.securityGroups.delete(sg);
    expect(w.emu.world.securityGroups.has(sg)).toBe(false);
  });
});
