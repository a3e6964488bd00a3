import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVISION_FLOW } from '../shared/flows.ts';
import { LINK_LIMITS } from '../shared/limits.ts';
import { endpointTagsAtMost } from '../shared/tag-budget.ts';
import { TAG_LIMITS } from '../shared/tag-rules.ts';
import { parseLinkSpec, requireLinkSpec } from '../shared/spec.ts';
import { DEFAULT_TIMINGS } from '../local/emulators/fixtures.ts';
import type { Stack } from '../local/stack.ts';
import { deliverTicket, zplAgainst } from './support/edge.ts';
import { metadata } from './support/metadata.ts';
import { demoSpec, startTestStack } from './support/provision.ts';
import { startTestWorld, testSecurityGroup } from './support/stack.ts';

/**
 * Everything a spec lists is bounded by a vendor's documented limit (shared/limits.ts), and a
 * spec past one is refused at every entry point with the field named, before any call.
 */

const clusters = (n: number, digits = 16) => Array.from({ length: n }, (_, i) => `in01-${i.toString(16).padStart(digits, '0')}`);

describe('the limits are the vendors’', () => {
  it('zones: CreateVpcEndpoint takes at most 10 (Zone maxItems)', () => {
    const zone = metadata('Privatelink').apis.CreateVpcEndpoint!.parameters.find((p) => p.name === 'Zone')!;
    expect((zone.schema as { maxItems?: number }).maxItems).toBe(LINK_LIMITS.zones);
  });

  it('security group rules: ECS allows 200 a group (AuthorizeSecurityGroup description)', () => {
    const description = (metadata('Ecs').apis.AuthorizeSecurityGroup as unknown as { description: string }).description;
    expect(description).toContain(`出方向和入方向安全组规则数量不能超过${LINK_LIMITS.securityGroupRules}条`);
  });

  it('clusters: 104 is the most the endpoint’s 20 tags can ever record (shortest IDs, nothing else)', () => {
    const base = requireLinkSpec(demoSpec({ region: 'us-east-1', zones: [{ zoneId: 'us-east-1a' }] }));
    const fits = (n: number) => endpointTagsAtMost({ ...base, clusters: clusters(n, 10) }).length <= TAG_LIMITS.perResource;
    expect(fits(LINK_LIMITS.clusters)).toBe(true);
    expect(fits(LINK_LIMITS.clusters + 1)).toBe(false);
  });

  it('each list past its limit is refused on its own field, saying how many fit', () => {
    const refused = (over: Record<string, unknown>) => {
      const r = parseLinkSpec(demoSpec(over));
      return r.ok ? [] : r.errors.map((e) => `${e.field}: ${e.message}`);
    };
    expect(refused({ clusters: clusters(1000) })).toEqual([expect.stringMatching(/^clusters: a link serves at most 104 clusters/)]);
    expect(refused({ clusters: clusters(66) })).toEqual([expect.stringMatching(/^clusters: .*at most 65 of these clusters fit/)]);
    expect(refused({ allowedCidrs: Array.from({ length: 101 }, (_, i) => `10.${i}.0.0/16`) })).toEqual([
      expect.stringMatching(/^allowedCidrs: the security group would need 202 rules .*ECS allows 200 per group/),
    ]);
    // Without ICMP each block takes one rule; the tag budget still counts them.
    expect(refused({ allowedCidrs: Array.from({ length: 101 }, (_, i) => `10.${i}.0.0/16`), icmp: false })).toEqual([]);
    expect(refused({ allowedCidrs: Array.from({ length: 201 }, (_, i) => `10.${i % 256}.${i >> 8}.0/24`) })).toEqual([
      expect.stringMatching(/^allowedCidrs: at most 200 CIDR blocks/),
    ]);
    const tenTags = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, 'v']));
    expect(refused({ tags: tenTags, allowedCidrs: Array.from({ length: 60 }, (_, i) => `10.${i}.0.0/16`) })).toEqual([
      expect.stringMatching(/^allowedCidrs: the security group would carry 22 tags.*at most 46 of these CIDR blocks fit/),
    ]);
    expect(refused({ tags: { ...tenTags, k10: 'v' } })).toEqual([expect.stringMatching(/^tags: at most 10 extra tags/)]);
  });

  it('the emulated ECS refuses a 201st rule as ECS does (AuthorizationLimitExceed, 403)', async () => {
    const w = await startTestWorld(DEFAULT_TIMINGS);
    try {
      const sg = await testSecurityGroup(w);
      const rules = (from: number, n: number) =>
        Array.from({ length: n }, (_, i) => ({
          protocol: 'TCP' as const,
          portRange: '19530/19530',
          sourceCidr: `10.${(from + i) % 256}.${(from + i) >> 8}.0/24`,
          description: 'limit test',
        }));
      let token = 0;
      const authorize = (from: number, n: number) => w.apis.securityGroups.authorize(sg, rules(from, n), () => `limit-${++token}`);
      await authorize(0, 200);
      await expect(authorize(200, 1)).rejects.toMatchObject({ code: 'AuthorizationLimitExceed', httpStatus: 403 });
      expect(w.emu.world.securityGroups.get(sg)!.rules).toHaveLength(200);
      // A rule the group already has adds nothing, so it still passes at the limit.
      await expect(authorize(0, 1)).resolves.toBe(1);
    } finally {
      await w.emu.close();
    }
  });
});

describe('a 1,000-cluster spec never reaches Validate: every entry point refuses it naming `clusters`, with no call', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.stop());
  const huge = () => demoSpec({ clusters: clusters(1000) });
  const nothingHappened = async (act: () => Promise<void>) => {
    const before = { calls: stack.emulators.calls.calls.length, executions: stack.engine.engine.listExecutions(PROVISION_FLOW).length };
    await act();
    expect({ calls: stack.emulators.calls.calls.length, executions: stack.engine.engine.listExecutions(PROVISION_FLOW).length }).toEqual(
      before,
    );
  };

  it('zpl apply: exit 2, the field and the limit on stderr', () =>
    nothingHappened(async () => {
      const file = join(mkdtempSync(join(tmpdir(), 'zpl-limits-')), 'link.yaml');
      writeFileSync(file, stringify(huge()));
      const r = await zplAgainst(stack, ['apply', '-f', file]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/clusters: a link serves at most 104 clusters/);
    }));

  it('POST /v1/links: 422 with the field', () =>
    nothingHappened(async () => {
      const r = await fetch(`${stack.file.edgeUrl}/v1/links`, {
        method: 'POST',
        headers: { authorization: `Bearer ${stack.file.apiToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(huge()),
      });
      expect(r.status).toBe(422);
      expect(await r.json()).toMatchObject({
        error: { code: 'spec.invalid', fields: [{ field: 'clusters', message: expect.stringMatching(/at most 104 clusters/) }] },
      });
    }));

  it('a ticket event: refused as spec.invalid with the field', () =>
    nothingHappened(async () => {
      const intake = await deliverTicket(stack, 'evt-limits-1', { ticketId: 'LIMITS-1', spec: huge() });
      expect(intake).toMatchObject([{ accepted: false, code: 'spec.invalid', fields: [{ field: 'data.spec.clusters' }] }]);
    }));
});
