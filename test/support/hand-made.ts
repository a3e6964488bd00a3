import type { AliyunApis } from '../../shared/aliyun/index.ts';
import { DEMO } from '../../local/emulators/fixtures.ts';
import type { ZillizClient } from '../../shared/zilliz/client.ts';

/**
 * What a user who followed Zilliz's guide by hand has in a VPC, made with the calls the consoles
 * make (the product's own API clients, the user's keys): the account allowlisted, a security group
 * open as the guide says (TCP 19530 from 0.0.0.0/0) plus an SSH rule of their own, a second group of
 * theirs on the endpoint, an interface endpoint in one zone with a tag of theirs, registered with
 * Zilliz, and a PrivateZone zone bound to the VPC whose cluster record points elsewhere (and, with
 * `userRecord`, a record of theirs beside it). `passTime` moves the world's clock where its
 * timings make the user wait (the service's visibility, the endpoint becoming Active): the setup
 * is an old one.
 */
export interface HandMade {
  endpointId: string;
  securityGroupId: string;
  otherGroupId: string;
  zoneId: string;
  recordId: number;
  userRecordId?: number;
}

export const ZONE_NAME = 'ali-cn-hangzhou.vectordb.zilliz.com.cn';
export const GUIDE_RECORD_VALUE = 'ep-old0000000000000000-cn-hangzhou.epsrv-bp1old.cn-hangzhou.privatelink.aliyuncs.com';

export async function handMadeLink(
  apis: AliyunApis,
  zilliz: ZillizClient,
  opts: { vpcId: string; vSwitchH: string; tag: string; userRecord?: boolean; passTime: (ms: number) => Promise<void> },
): Promise<HandMade> {
  await zilliz.allowlistAccount(DEMO.projectId, 'ali-cn-hangzhou', DEMO.accountId);
  await opts.passTime(60_000);
  const sg = (name: string) =>
    apis.securityGroups.create({ vpcId: opts.vpcId, name, description: 'made by hand', tags: [], clientToken: `${opts.tag}-${name}` });
  const { SecurityGroupId: securityGroupId } = await sg('zilliz-guide');
  const { SecurityGroupId: otherGroupId } = await sg('ops-access');
  const rule = (portRange: string, sourceCidr: string) => ({ protocol: 'TCP' as const, portRange, sourceCidr, description: 'by hand' });
  await apis.securityGroups.authorize(
    securityGroupId,
    [rule('19530/19530', '0.0.0.0/0'), rule('22/22', '10.0.0.0/8')],
    () => `${opts.tag}-r1`,
  );
  await apis.securityGroups.authorize(otherGroupId, [rule('443/443', '10.0.0.0/8')], () => `${opts.tag}-r2`);
  const [service] = await apis.privateLink.servicesVisibleToMe();
  const { EndpointId: endpointId } = await apis.privateLink.createEndpoint({
    vpcId: opts.vpcId,
    serviceId: service!.ServiceId,
    securityGroupIds: [securityGroupId, otherGroupId],
    zones: [{ zoneId: 'cn-hangzhou-h', vSwitchId: opts.vSwitchH }],
    name: `guide-${opts.tag}`,
    description: 'made by hand',
    tags: [{ Key: 'team', Value: 'data' }],
    clientToken: `${opts.tag}-ep`,
  });
  await opts.passTime(180_000);
  await zilliz.registerEndpoint(DEMO.projectId, 'ali-cn-hangzhou', endpointId);
  const pvtz = apis.privateZone;
  const { ZoneId: zoneId } = await pvtz.addZone(ZONE_NAME, 'ZONE', `${opts.tag}-zone`);
  await pvtz.setRemark(zoneId, 'made-by-hand', `${opts.tag}-remark`);
  const record = (rr: string, type: 'CNAME' | 'A', value: string) =>
    pvtz.addRecord(zoneId, { rr, type, value, ttl: 300, remark: 'by-hand' }, `${opts.tag}-${rr}`);
  const { RecordId: recordId } = await record(`${DEMO.clusterId}-privatelink`, 'CNAME', GUIDE_RECORD_VALUE);
  const userRecordId = opts.userRecord ? (await record('grafana', 'A', '10.0.1.99')).RecordId : undefined;
  await pvtz.setBindings(zoneId, [{ vpcId: opts.vpcId, regionId: DEMO.region }], `${opts.tag}-bind`);
  return { endpointId, securityGroupId, otherGroupId, zoneId, recordId, ...(userRecordId ? { userRecordId } : {}) };
}
