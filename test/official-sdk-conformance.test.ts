import { createHash, createHmac, randomUUID } from 'node:crypto';
import * as ecsSdk from '@alicloud/ecs20140526';
import * as vpcSdk from '@alicloud/vpc20160428';
import * as openapiCore from '@alicloud/openapi-core';
import * as popCore from '@alicloud/pop-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cjsClass } from '../shared/interop.ts';
import { rfc3986 } from '../shared/aliyun/signature-v3.ts';
import { DEMO } from '../local/emulators/fixtures.ts';
import { metadata, schemaPaths } from './support/metadata.ts';
import { startTestWorld, type TestWorld } from './support/stack.ts';

/**
 * The emulator must work with Alibaba clients nobody here wrote: the typed V3 SDKs and the
 * V1 pop-core RPCClient (GET and POST). Their answers must use only field names the official
 * metadata declares.
 */

type AnyClient = Record<string, (req?: unknown) => Promise<{ body: Record<string, unknown> }>>;
const EcsClient = cjsClass<new (config: unknown) => AnyClient>(ecsSdk.default);
const VpcClient = cjsClass<new (config: unknown) => AnyClient>(vpcSdk.default);
const RPCClient = cjsClass<
  new (config: unknown) => { request(action: string, params: object, opts?: object): Promise<Record<string, unknown>> }
>(popCore.default ?? popCore);

let w: TestWorld;
beforeAll(async () => {
  w = await startTestWorld({ serviceVisibleMs: 0, endpointActiveMs: 0, acceptMs: 0, connectMs: 0, changeMs: 0 });
});
afterAll(() => w.emu.close());

const host = () => new URL(w.emu.alibabaUrl).host;
const v3Config = (secret: string = DEMO.accessKeySecret) =>
  new openapiCore.$OpenApiUtil.Config({
    accessKeyId: DEMO.accessKeyId,
    accessKeySecret: secret,
    endpoint: host(),
    protocol: 'HTTP',
    regionId: 'cn-hangzhou',
  });
const pop = (apiVersion: string, secret: string = DEMO.accessKeySecret) =>
  new RPCClient({ accessKeyId: DEMO.accessKeyId, accessKeySecret: secret, endpoint: w.emu.alibabaUrl, apiVersion });

/** Every field path of a response body, in the metadata's notation. */
function bodyPaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return [`${prefix}[]`, ...value.flatMap((v) => bodyPaths(v, `${prefix}[]`))];
  // pop-core parses large integers into BigNumber objects: those are values, not structure.
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.entries(value).flatMap(([k, v]) => {
      const path = prefix ? `${prefix}.${k}` : k;
      return [path, ...bodyPaths(v, path)];
    });
  }
  return [];
}

function expectOfficialFields(product: string, action: string, body: unknown) {
  const official = schemaPaths(metadata(product).apis[action]!.responses['200'].schema);
  const unknown = bodyPaths(body).filter((p) => !official.has(p));
  expect(unknown, `${product}.${action} answers fields the metadata does not declare`).toEqual([]);
}

describe('official typed SDKs (V3 ACS3-HMAC-SHA256)', () => {
  it('@alicloud/ecs20140526 creates and describes a security group', async () => {
    const ecs = new EcsClient(v3Config());
    const created = await ecs.createSecurityGroup!(
      new ecsSdk.CreateSecurityGroupRequest({
        regionId: 'cn-hangzhou',
        vpcId: DEMO.vpcId,
        securityGroupName: 'sdk-group',
        description: 'from the official SDK',
      }),
    );
    const id = created.body.securityGroupId as string;
    expect(id).toMatch(/^sg-/);
    await ecs.authorizeSecurityGroup!(
      new ecsSdk.AuthorizeSecurityGroupRequest({
        regionId: 'cn-hangzhou',
        securityGroupId: id,
        permissions: [
          new ecsSdk.AuthorizeSecurityGroupRequestPermissions({
            ipProtocol: 'TCP',
            portRange: '19530/19530',
            sourceCidrIp: '10.0.0.0/16',
            nicType: 'intranet',
          }),
        ],
      }),
    );
    const described = await ecs.describeSecurityGroupAttribute!(
      new ecsSdk.DescribeSecurityGroupAttributeRequest({ regionId: 'cn-hangzhou', securityGroupId: id }),
    );
    expect((described.body.permissions as { permission: { portRange: string }[] }).permission.map((p) => p.portRange)).toEqual([
      '19530/19530',
    ]);
    const listed = await ecs.describeSecurityGroups!(
      new ecsSdk.DescribeSecurityGroupsRequest({ regionId: 'cn-hangzhou', vpcId: DEMO.vpcId }),
    );
    expect(
      (listed.body.securityGroups as { securityGroup: { securityGroupId: string }[] }).securityGroup.map((g) => g.securityGroupId),
    ).toContain(id);
  });

  it('@alicloud/vpc20160428 reads the VPC and its vSwitches', async () => {
    const vpc = new VpcClient(v3Config());
    const attr = await vpc.describeVpcAttribute!(new vpcSdk.DescribeVpcAttributeRequest({ regionId: 'cn-hangzhou', vpcId: DEMO.vpcId }));
    expect(attr.body).toMatchObject({ vpcId: DEMO.vpcId, cidrBlock: '10.0.0.0/16', status: 'Available' });
    const vsw = await vpc.describeVSwitches!(new vpcSdk.DescribeVSwitchesRequest({ regionId: 'cn-hangzhou', vpcId: DEMO.vpcId }));
    expect((vsw.body.vSwitches as { vSwitch: { zoneId: string }[] }).vSwitch.map((v) => v.zoneId)).toEqual([
      'cn-hangzhou-h',
      'cn-hangzhou-j',
    ]);
  });

  it('a wrong secret gets SignatureDoesNotMatch', async () => {
    const vpc = new VpcClient(v3Config('wrong-secret'));
    await expect(
      vpc.describeVpcAttribute!(new vpcSdk.DescribeVpcAttributeRequest({ regionId: 'cn-hangzhou', vpcId: DEMO.vpcId })),
    ).rejects.toMatchObject({
      code: 'SignatureDoesNotMatch',
    });
  });
});

describe.each(['GET', 'POST'])('@alicloud/pop-core RPCClient (V1 HMAC-SHA1, %s)', (method) => {
  it('calls PrivateLink and gets the official response fields', async () => {
    await w.zilliz.allowlistAccount(DEMO.projectId, 'ali-cn-hangzhou', DEMO.accountId);
    const client = pop('2020-04-15');
    const services = await client.request('ListVpcEndpointServicesByEndUser', { RegionId: 'cn-hangzhou' }, { method });
    expect((services.Services as { ServiceId: string }[]).map((s) => s.ServiceId)).toEqual(['epsrv-bp1zillizhz0000001']);
    expectOfficialFields('Privatelink', 'ListVpcEndpointServicesByEndUser', services);

    const sg = await new EcsClient(v3Config()).createSecurityGroup!(
      new ecsSdk.CreateSecurityGroupRequest({ regionId: 'cn-hangzhou', vpcId: DEMO.vpcId }),
    );
    const vpcId = `vpc-bp1pop${method.toLowerCase()}00000000001`;
    await w.emu.world.seed({
      accounts: [
        {
          accountId: DEMO.accountId,
          accessKeys: [{ accessKeyId: DEMO.accessKeyId, accessKeySecret: DEMO.accessKeySecret }],
          vpcs: [
            {
              vpcId,
              regionId: 'cn-hangzhou',
              cidrBlock: '192.168.0.0/16',
              vSwitches: [
                { vSwitchId: `vsw-bp1pop${method.toLowerCase()}0000000001`, zoneId: 'cn-hangzhou-k', cidrBlock: '192.168.1.0/24' },
              ],
            },
          ],
          securityGroups: [{ securityGroupId: `sg-bp1pop${method.toLowerCase()}00000001`, regionId: 'cn-hangzhou', vpcId }],
        },
      ],
    });
    expect(sg.body.securityGroupId).toBeTruthy();
    const created = await client.request(
      'CreateVpcEndpoint',
      {
        RegionId: 'cn-hangzhou',
        VpcId: vpcId,
        ServiceId: 'epsrv-bp1zillizhz0000001',
        'SecurityGroupId.1': `sg-bp1pop${method.toLowerCase()}00000001`,
        'Zone.1.ZoneId': 'cn-hangzhou-k',
        'Zone.1.VSwitchId': `vsw-bp1pop${method.toLowerCase()}0000000001`,
        EndpointName: 'pop-endpoint',
      },
      { method },
    );
    expectOfficialFields('Privatelink', 'CreateVpcEndpoint', created);
    const got = await client.request('GetVpcEndpointAttribute', { RegionId: 'cn-hangzhou', EndpointId: created.EndpointId }, { method });
    expect(got).toMatchObject({ EndpointId: created.EndpointId, VpcId: vpcId, EndpointStatus: 'Active' });
    expectOfficialFields('Privatelink', 'GetVpcEndpointAttribute', got);
    const zones = await client.request('ListVpcEndpointZones', { RegionId: 'cn-hangzhou', EndpointId: created.EndpointId }, { method });
    expectOfficialFields('Privatelink', 'ListVpcEndpointZones', zones);
    const listed = await client.request('ListVpcEndpoints', { RegionId: 'cn-hangzhou', VpcId: vpcId }, { method });
    expectOfficialFields('Privatelink', 'ListVpcEndpoints', listed);
  });

  it('calls PrivateZone (wrapped arrays) and gets the official response fields', async () => {
    const client = pop('2018-01-01');
    const zoneName = `${method.toLowerCase()}.example.internal`;
    const added = await client.request('AddZone', { ZoneName: zoneName, ProxyPattern: 'RECORD' }, { method });
    expectOfficialFields('pvtz', 'AddZone', added);
    const record = await client.request('AddZoneRecord', { ZoneId: added.ZoneId, Rr: 'www', Type: 'A', Value: '10.0.0.8' }, { method });
    expectOfficialFields('pvtz', 'AddZoneRecord', record);
    const zones = await client.request('DescribeZones', { Keyword: zoneName, SearchMode: 'EXACT' }, { method });
    expect((zones.Zones as { Zone: { ZoneId: string }[] }).Zone.map((z) => z.ZoneId)).toEqual([added.ZoneId]);
    expectOfficialFields('pvtz', 'DescribeZones', zones);
    expectOfficialFields('pvtz', 'DescribeZoneRecords', await client.request('DescribeZoneRecords', { ZoneId: added.ZoneId }, { method }));
    expectOfficialFields('pvtz', 'DescribeZoneInfo', await client.request('DescribeZoneInfo', { ZoneId: added.ZoneId }, { method }));
  });

  it('reports errors with Code (pop-core only notices errors through it), and a wrong secret as SignatureDoesNotMatch', async () => {
    await expect(pop('2018-01-01').request('DescribeZoneInfo', { ZoneId: 'nope' }, { method })).rejects.toMatchObject({
      code: 'Zone.NotExists',
    });
    await expect(pop('2018-01-01').request('DescribeZoneInfo', {}, { method })).rejects.toMatchObject({ code: 'MissingZoneId' });
    await expect(pop('2018-01-01', 'wrong').request('DescribeZones', {}, { method })).rejects.toMatchObject({
      code: 'SignatureDoesNotMatch',
    });
  });
});

describe('ECS and VPC answers use only official field names (raw bodies through pop-core)', () => {
  it('every field of every ECS and VPC answer the product reads is declared by the metadata', async () => {
    const ecs = pop('2014-05-26');
    const created = await ecs.request(
      'CreateSecurityGroup',
      { RegionId: 'cn-hangzhou', VpcId: DEMO.vpcId, SecurityGroupName: 'raw-group', 'Tag.1.Key': 'k', 'Tag.1.Value': 'v' },
      { method: 'POST' },
    );
    expectOfficialFields('Ecs', 'CreateSecurityGroup', created);
    const id = created.SecurityGroupId as string;
    expectOfficialFields(
      'Ecs',
      'AuthorizeSecurityGroup',
      await ecs.request(
        'AuthorizeSecurityGroup',
        {
          RegionId: 'cn-hangzhou',
          SecurityGroupId: id,
          'Permissions.1.IpProtocol': 'ICMP',
          'Permissions.1.PortRange': '-1/-1',
          'Permissions.1.SourceCidrIp': '10.0.0.0/16',
        },
        { method: 'POST' },
      ),
    );
    expectOfficialFields(
      'Ecs',
      'DescribeSecurityGroupAttribute',
      await ecs.request('DescribeSecurityGroupAttribute', { RegionId: 'cn-hangzhou', SecurityGroupId: id }, { method: 'POST' }),
    );
    const groups = await ecs.request('DescribeSecurityGroups', { RegionId: 'cn-hangzhou', VpcId: DEMO.vpcId }, { method: 'POST' });
    expect(JSON.stringify(groups)).toContain('"TagKey":"k"');
    expectOfficialFields('Ecs', 'DescribeSecurityGroups', groups);
    const vpc = pop('2016-04-28');
    expectOfficialFields(
      'Vpc',
      'DescribeVpcAttribute',
      await vpc.request('DescribeVpcAttribute', { RegionId: 'cn-hangzhou', VpcId: DEMO.vpcId }, { method: 'POST' }),
    );
    expectOfficialFields(
      'Vpc',
      'DescribeVSwitches',
      await vpc.request('DescribeVSwitches', { RegionId: 'cn-hangzhou', VpcId: DEMO.vpcId }, { method: 'POST' }),
    );
    expectOfficialFields(
      'Ecs',
      'DeleteSecurityGroup',
      await ecs.request('DeleteSecurityGroup', { RegionId: 'cn-hangzhou', SecurityGroupId: id }, { method: 'POST' }),
    );
  });
});

describe('gateway signature checks (hand-signed V1 requests)', () => {
  const timestamp = (offsetMs = 0) => new Date(Date.now() + offsetMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const signedUrl = (params: Record<string, string>, secret = DEMO.accessKeySecret) => {
    const all: Record<string, string> = {
      Format: 'JSON',
      Version: '2018-01-01',
      AccessKeyId: DEMO.accessKeyId,
      SignatureMethod: 'HMAC-SHA1',
      SignatureVersion: '1.0',
      SignatureNonce: randomUUID(),
      Timestamp: timestamp(),
      Action: 'DescribeZones',
      ...params,
    };
    const canonical = Object.keys(all)
      .sort()
      .map((k) => `${rfc3986(k)}=${rfc3986(all[k]!)}`)
      .join('&');
    const signature = createHmac('sha1', `${secret}&`)
      .update(`GET&%2F&${rfc3986(canonical)}`)
      .digest('base64');
    return `${w.emu.alibabaUrl}/?${canonical}&Signature=${rfc3986(signature)}`;
  };
  const get = async (url: string) => {
    const r = await fetch(url);
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  };

  it('accepts a correct signature once and refuses the same nonce again', async () => {
    const url = signedUrl({ SignatureNonce: 'fixed-nonce-1' });
    expect((await get(url)).status).toBe(200);
    expect(await get(url)).toMatchObject({ status: 400, body: { Code: 'SignatureNonceUsed' } });
  });

  it('refuses a timestamp outside 15 minutes', async () => {
    expect(await get(signedUrl({ Timestamp: timestamp(-16 * 60_000) }))).toMatchObject({
      status: 400,
      body: { Code: 'InvalidTimeStamp.Expired' },
    });
  });

  it('refuses a tampered parameter, an unknown key, an unknown version and an unknown action', async () => {
    const tampered = signedUrl({ Keyword: 'a' }).replace('Keyword=a', 'Keyword=b');
    expect(await get(tampered)).toMatchObject({ status: 400, body: { Code: 'SignatureDoesNotMatch' } });
    expect(await get(signedUrl({ AccessKeyId: 'LTAI5tNobody' }))).toMatchObject({
      status: 404,
      body: { Code: 'InvalidAccessKeyId.NotFound' },
    });
    expect(await get(signedUrl({ Version: '2099-01-01' }))).toMatchObject({ status: 400, body: { Code: 'InvalidVersion' } });
    expect(await get(signedUrl({ Action: 'DeleteEverything' }))).toMatchObject({ status: 404, body: { Code: 'InvalidAction.NotFound' } });
    expect(await get(`${w.emu.alibabaUrl}/?Action=DescribeZones&Version=2018-01-01`)).toMatchObject({
      status: 400,
      body: { Code: 'IncompleteSignature' },
    });
  });

  it('refuses a V3 request whose body does not match its signed hash', async () => {
    const body = 'ZoneId=abc';
    const headers: Record<string, string> = {
      host: host(),
      'x-acs-action': 'DescribeZoneInfo',
      'x-acs-version': '2018-01-01',
      'x-acs-date': timestamp(),
      'x-acs-signature-nonce': randomUUID(),
      'x-acs-content-sha256': createHash('sha256').update('ZoneId=other').digest('hex'),
      'content-type': 'application/x-www-form-urlencoded',
    };
    const names = Object.keys(headers).sort();
    const canonical = [
      'POST',
      '/',
      '',
      names.map((n) => `${n}:${headers[n]}\n`).join(''),
      names.join(';'),
      headers['x-acs-content-sha256'],
    ].join('\n');
    const sig = createHmac('sha256', DEMO.accessKeySecret)
      .update(`ACS3-HMAC-SHA256\n${createHash('sha256').update(canonical).digest('hex')}`)
      .digest('hex');
    const r = await fetch(`${w.emu.alibabaUrl}/`, {
      method: 'POST',
      headers: {
        ...headers,
        authorization: `ACS3-HMAC-SHA256 Credential=${DEMO.accessKeyId},SignedHeaders=${names.join(';')},Signature=${sig}`,
      },
      body,
    });
    expect(r.status).toBe(400);
    expect(await r.json()).toMatchObject({ Code: 'SignatureDoesNotMatch' });
  });
});
