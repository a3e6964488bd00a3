import { describe, expect, it } from 'vitest';
import { clientToken, dnsRecordName, gatherTag, linkId, ownershipTags, privateLinkHost, spreadTag } from '../shared/derived.ts';
import { parseLinkSpec, requireLinkSpec, SpecError } from '../shared/spec.ts';
import { maxTeardownWaitSeconds, WAIT_EVENT_BUDGET, waitsEvents } from '../shared/steps/event-budget.ts';

const good = {
  projectId: 'proj-4a1b2c3d4e5f6a7b8c9d',
  region: 'cn-hangzhou',
  accountId: '1234567890123456',
  vpcId: 'vpc-bp1demo0000000000001',
  clusters: ['in01-0123456789abcdef'],
  zones: [{ zoneId: 'cn-hangzhou-h' }, { zoneId: 'cn-hangzhou-j', vSwitchId: 'vsw-bp1demoj000000000001' }],
};

const errorsOf = (input: unknown) => {
  const r = parseLinkSpec(input);
  if (r.ok) throw new Error('expected the spec to be rejected');
  return r.errors;
};

describe('link spec', () => {
  it('accepts a minimal spec and fills the documented defaults', () => {
    // Act
    const r = parseLinkSpec(good);
    // Assess
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.spec).toMatchObject({
      icmp: true,
      dnsLayout: 'region-zone',
      tags: {},
      deadlines: { serviceVisibleSeconds: 3600, endpointActiveSeconds: 1800, connectionSeconds: 3600 },
    });
    expect(r.spec.port).toBeUndefined(); // decided later from the cluster's private-link address
    expect(r.spec.allowedCidrs).toBeUndefined(); // decided later: the VPC's own CIDR blocks
    expect(r.warnings).toEqual([]);
  });

  it.each([
    ['projectId', { projectId: 'project-1' }, 'projectId', 'must be a Zilliz project ID'],
    [
      'region outside the supported four',
      { region: 'cn-qingdao' },
      'region',
      'must be one of cn-hangzhou, cn-beijing, cn-shenzhen, cn-shanghai',
    ],
    ['account ID not numeric', { accountId: '12345abc' }, 'accountId', 'numeric Alibaba Cloud main account ID'],
    ['account ID as a number', { accountId: 1234567890123456 }, 'accountId', 'as a string'],
    ['VPC ID', { vpcId: 'vsw-123456789' }, 'vpcId', 'must be a VPC ID'],
    ['no clusters', { clusters: [] }, 'clusters', 'name at least one cluster'],
    ['malformed cluster', { clusters: ['cluster-1'] }, 'clusters.0', 'must be a Zilliz cluster ID'],
    ['serverless cluster', { clusters: ['in03-0123456789abcdef'] }, 'clusters.0', 'do not support private link'],
    ['duplicate clusters', { clusters: ['in01-0123456789abcdef', 'in01-0123456789abcdef'] }, 'clusters', 'unique'],
    ['no zones', { zones: [] }, 'zones', 'at least one zone'],
    ['zone of another region', { zones: [{ zoneId: 'cn-beijing-g' }] }, 'zones.0.zoneId', 'must be a zone of cn-hangzhou'],
    ['zone twice', { zones: [{ zoneId: 'cn-hangzhou-h' }, { zoneId: 'cn-hangzhou-h' }] }, 'zones.1.zoneId', 'listed twice'],
    ['bad vSwitch', { zones: [{ zoneId: 'cn-hangzhou-h', vSwitchId: 'vpc-1234567' }] }, 'zones.0.vSwitchId', 'vSwitch ID'],
    ['unknown zone field', { zones: [{ zoneId: 'cn-hangzhou-h', subnet: 'x' }] }, 'zones.0', 'unknown field(s): subnet'],
    ['bad security group', { securityGroupId: 'sg_1' }, 'securityGroupId', 'security group ID'],
    ['bad CIDR', { allowedCidrs: ['10.0.0.0/33'] }, 'allowedCidrs.0', 'IPv4 CIDR'],
    ['empty CIDR list', { allowedCidrs: [] }, 'allowedCidrs', 'at least one'],
    // AuthorizeSecurityGroup refuses repeated permissions (InvalidParam.DuplicatePermissions): refused here, before any write.
    [
      'a CIDR block twice',
      { allowedCidrs: ['10.0.0.0/16', '172.16.0.0/12', '10.0.0.0/16'] },
      'allowedCidrs',
      'list each CIDR block once (security group rules may not repeat): 10.0.0.0/16',
    ],
    [
      'one CIDR block written two ways',
      { allowedCidrs: ['10.0.1.0/24', '10.0.1.7/24'] },
      'allowedCidrs',
      'once (security group rules may not repeat): 10.0.1.7/24',
    ],
    ['port out of range', { port: 70000 }, 'port', ''],
    ['dns layout', { dnsLayout: 'flat' }, 'dnsLayout', ''],
    ['endpoint name', { endpointName: '1abc' }, 'endpointName', 'starting with a letter'],
    ['reserved tag key', { tags: { 'acs:owner': 'me' } }, 'tags.acs:owner', 'reserved'],
    ['deadline too short', { deadlines: { endpointActiveSeconds: 5 } }, 'deadlines.endpointActiveSeconds', 'at least 60 seconds'],
    // Teardown waits on endpointActiveSeconds three times; 24 h fits provisioning's budget (with short other waits) but not teardown's.
    [
      'an endpoint deadline teardown could not wait out',
      { deadlines: { serviceVisibleSeconds: 60, endpointActiveSeconds: 86_400, connectionSeconds: 60 } },
      'deadlines.endpointActiveSeconds',
      'teardown waits on it three times',
    ],
    ['unknown top-level field', { vpc: 'vpc-1' }, '', 'unknown field(s): vpc'],
  ])('rejects %s with a field error', (_name, change, field, message) => {
    const errors = errorsOf({ ...good, ...change });
    expect(errors).toContainEqual({ field, message: expect.stringContaining(message) });
  });

  it("accepts the longest endpoint deadline whose teardown fits CloudFlow's history, and refuses one second more", () => {
    const at = (endpointActiveSeconds: number) =>
      parseLinkSpec({ ...good, deadlines: { serviceVisibleSeconds: 60, endpointActiveSeconds, connectionSeconds: 60 } });
    const max = maxTeardownWaitSeconds();
    expect(max).toBe(33_636); // the figure the README's Link spec section states
    expect(waitsEvents([max, max, max])).toBeLessThanOrEqual(WAIT_EVENT_BUDGET);
    expect(at(max).ok).toBe(true);
    expect(at(max + 1).ok).toBe(false);
  });

  it('lists every problem at once', () => {
    const errors = errorsOf({ region: 'cn-hangzhou', clusters: ['x'], zones: [{ zoneId: 'cn-beijing-g' }] });
    expect(errors.map((e) => e.field).sort()).toEqual(['accountId', 'clusters.0', 'projectId', 'vpcId', 'zones.0.zoneId']);
  });

  it('tells a value of the wrong type what it is, and keeps "required" for a field left out', () => {
    const errors = errorsOf({ ...good, accountId: 1234567890123456, zones: 'cn-hangzhou-h', port: '19530', icmp: 'yes' });
    expect(errors).toEqual([
      {
        field: 'accountId',
        message:
          'must be a string, not the number 1234567890123456: write it in quotes ("1234567890123456") so YAML reads it as a string, not as a number',
      },
      { field: 'zones', message: 'must be a list, not a string ("cn-hangzhou-h")' },
      { field: 'port', message: 'must be a number, not a string ("19530")' },
      { field: 'icmp', message: 'must be true or false, not a string ("yes")' },
    ]);
    expect(errorsOf({ ...good, accountId: undefined })).toEqual([
      { field: 'accountId', message: 'accountId is required: the Alibaba Cloud main account ID (主账号 ID), as a string' },
    ]);
  });

  it('lists the whole-spec problems (tag budget, deadlines) beside field errors, in one pass', () => {
    // 80 clusters: under the field's own cap, over what the endpoint's 20 tags hold with these IDs.
    const clusters = Array.from({ length: 80 }, (_, i) => `in01-${i.toString(16).padStart(15, '0')}`);
    const errors = errorsOf({
      ...good,
      accountId: 1234567890123456,
      clusters,
      tags: { 'aliyun-x': 'y' },
      deadlines: { endpointActiveSeconds: 86_400 },
    });
    expect(errors.map((e) => e.field)).toEqual(['accountId', 'tags.aliyun-x', 'deadlines.endpointActiveSeconds']);
    // The tag budget reads the tags, which are invalid here: fixed, its problem shows beside the account's.
    const budget = errorsOf({ ...good, accountId: 1234567890123456, clusters, deadlines: { endpointActiveSeconds: 86_400 } });
    expect(budget.map((e) => e.field)).toEqual(['accountId', 'clusters', 'deadlines.endpointActiveSeconds']);
    expect(budget[1]!.message).toMatch(/^the endpoint would carry \d+ tags/);
  });

  it('never throws on garbage, and SpecError lists fields for callers that require a spec', () => {
    for (const input of [null, 42, 'spec', [], { clusters: 'in01-0123456789abcdef' }]) expect(parseLinkSpec(input).ok).toBe(false);
    expect(() => requireLinkSpec({})).toThrow(SpecError);
    expect(() => requireLinkSpec({})).toThrow(/projectId: projectId is required/);
  });

  it('warns about one zone, undocumented zones and an open source CIDR', () => {
    const r = parseLinkSpec({ ...good, zones: [{ zoneId: 'cn-hangzhou-b' }], allowedCidrs: ['0.0.0.0/0'] });
    expect(r.ok && r.warnings).toEqual([
      expect.stringContaining('one zone gives no redundancy'),
      expect.stringContaining('cn-hangzhou-b is not among'),
      expect.stringContaining('0.0.0.0/0'),
    ]);
  });
});

describe('derived values', () => {
  const spec = requireLinkSpec(good);

  it('names the private-link host and DNS record as the current guide does', () => {
    expect(privateLinkHost('in01-0123456789abcdef', 'cn-hangzhou')).toBe(
      'in01-0123456789abcdef-privatelink.ali-cn-hangzhou.vectordb.zilliz.com.cn',
    );
    expect(dnsRecordName(spec, 'in01-0123456789abcdef')).toEqual({
      zoneName: 'ali-cn-hangzhou.vectordb.zilliz.com.cn',
      rr: 'in01-0123456789abcdef-privatelink',
      fqdn: 'in01-0123456789abcdef-privatelink.ali-cn-hangzhou.vectordb.zilliz.com.cn',
    });
    expect(dnsRecordName({ ...spec, dnsLayout: 'cluster-zone' }, 'in01-0123456789abcdef')).toMatchObject({
      zoneName: 'in01-0123456789abcdef-privatelink.ali-cn-hangzhou.vectordb.zilliz.com.cn',
      rr: '@',
    });
  });

  it('gives a link the same identity whatever its clusters, and another one for another VPC', () => {
    expect(linkId(spec)).toMatch(/^zpl-[0-9a-f]{12}$/);
    expect(linkId({ ...spec, clusters: ['in01-fedcba9876543210'] } as typeof spec)).toBe(linkId(spec));
    expect(linkId({ ...spec, vpcId: 'vpc-bp1other000000000001' })).not.toBe(linkId(spec));
  });

  it('makes ClientTokens that are stable, ≤64 ASCII, and change with the request', () => {
    const a = clientToken(spec, 'endpoint', { zones: ['h', 'j'] });
    expect(a).toBe(clientToken(spec, 'endpoint', { zones: ['h', 'j'] }));
    expect(a.length).toBeLessThanOrEqual(64);
    expect(a).toMatch(/^[\x21-\x7e]+$/);
    expect(clientToken(spec, 'endpoint', { zones: ['h'] })).not.toBe(a);
    expect(clientToken(spec, 'sg', { zones: ['h', 'j'] })).not.toBe(a);
    // Long per-cluster step names still give distinct tokens within 64 characters.
    const long = (cluster: string) => clientToken(spec, `record-update-${cluster}`, { v: 1 });
    expect(long('in01-0123456789abcdef').length).toBeLessThanOrEqual(64);
    expect(long('in01-0123456789abcdef')).not.toBe(long('in01-fedcba9876543210'));
  });

  it('spreads a long list over several tags of at most 128 characters and reads it back in order', () => {
    const clusters = Array.from({ length: 14 }, (_, i) => `in01-${i.toString(16).padStart(15, '0')}`);
    const tags = spreadTag('zpl:clusters', clusters);
    expect(tags.map((t) => t.Key)).toEqual(['zpl:clusters', 'zpl:clusters-2', 'zpl:clusters-3']);
    expect(tags.every((t) => t.Value.length <= 128)).toBe(true);
    expect(gatherTag([...tags].reverse(), 'zpl:clusters')).toEqual(clusters);
    expect(spreadTag('k', [])).toEqual([]);
  });

  it('marks resources as ours with the link ID and records desired state', () => {
    const tags = ownershipTags({ ...spec, tags: { team: 'search' } }, { cidrs: ['10.0.0.0/16'], port: 19530 });
    expect(tags).toEqual(
      expect.arrayContaining([
        { Key: 'zpl:link', Value: linkId(spec) },
        { Key: 'zpl:managed-by', Value: 'zilliz-privatelink' },
        { Key: 'zpl:cidrs', Value: '10.0.0.0/16' },
        { Key: 'zpl:port', Value: '19530' },
        { Key: 'team', Value: 'search' },
      ]),
    );
  });
});
