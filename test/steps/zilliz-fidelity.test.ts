import { describe, expect, it } from 'vitest';
import { clusterTargets } from '../../shared/steps/cluster-targets.ts';
import { DEMO } from '../../local/emulators/fixtures.ts';
import { applyHandEdit } from '../../local/emulators/hand-edits.ts';
import { ZillizClient } from '../../shared/zilliz/client.ts';
import { allowlist } from '../../shared/steps/allowlist.ts';
import { checkConnection, REGISTRATION_GRACE_MS } from '../../shared/steps/check-connection.ts';
import { checkService } from '../../shared/steps/check-service.ts';
import { readWorld, validate } from '../../shared/steps/validate.ts';
import { callsOf, failure, FAST, host, seedWith, spec, start, worlds, ZONE_NAME } from './support.ts';
import { TEST_RETRY } from '../support/stack.ts';

/**
 * Where the product's beliefs about Zilliz met the vendor's documents: each test below runs
 * against the tightened emulator and fails on the product as it was before the fix.
 */

const open = worlds();
const SERVICE_ID = 'epsrv-bp1zillizhz0000001';
const SERVICE_NAME = `com.aliyuncs.privatelink.cn-hangzhou.${SERVICE_ID}`;
const STANDARD = 'in01-0000000000000a11';

describe('Validate: Dedicated clusters before any private link (privateLinkAddress "")', () => {
  it('a Standard-plan cluster seeded through the admin API, its privateLinkAddress still "", is eligible: port 19530, host from the guide', async () => {
    const w = await open();
    const seeded = await fetch(`${w.emu.adminUrl}/seed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        zilliz: {
          projects: [{ projectId: DEMO.projectId, clusters: [{ clusterId: STANDARD, regionId: 'ali-cn-hangzhou', plan: 'Standard' }] }],
        },
      }),
    });
    expect(seeded.status).toBe(200);
    // As Zilliz's v2 examples show it: a Dedicated (Standard) cluster with "privateLinkAddress": "".
    expect(await w.deps.zilliz.describeCluster(STANDARD)).toMatchObject({ plan: 'Standard', privateLinkAddress: '' });
    const s = spec({ clusters: [STANDARD] });
    const { state } = await w.call(validate, s, start(s));
    expect(state.port).toBe(19530);
    expect(await clusterTargets(s, w.deps)).toEqual([
      { clusterId: STANDARD, host: host(STANDARD), zoneName: ZONE_NAME, rr: `${STANDARD}-privatelink` },
    ]);
  });

  it('eligibility is decided by plan and cluster kind: Free and in03-/in05- refused, BusinessCritical taken, an unknown plan warned about', async () => {
    const seed = seedWith((x) => {
      x.zilliz!.projects![0]!.clusters!.push(
        { clusterId: 'in01-0000000000000f1e', regionId: 'ali-cn-hangzhou', plan: 'Free' },
        { clusterId: 'in01-0000000000000bc1', regionId: 'ali-cn-hangzhou', plan: 'BusinessCritical' },
        { clusterId: 'in01-0000000000000e1e', regionId: 'ali-cn-hangzhou', plan: 'Premium' },
      );
    });
    const w = await open({ seed });
    const s = spec({ clusters: ['in01-0000000000000f1e', 'in01-0000000000000bc1', 'in01-0000000000000e1e'] });
    const view = await readWorld(s, w.deps);
    expect(view.problems).toEqual(['cluster in01-0000000000000f1e is a Free cluster; private link needs a Dedicated cluster']);
    expect(view.warnings).toEqual([
      expect.stringContaining('cluster in01-0000000000000e1e has plan "Premium", not one of Standard, Enterprise, BusinessCritical'),
    ]);
    expect(view.clusters.map((c) => c.clusterId)).toEqual(['in01-0000000000000f1e', 'in01-0000000000000bc1', 'in01-0000000000000e1e']);
  });

  it("once the link is connected, Zilliz's privateLinkAddress is the hostname: CheckConnection takes it over the guide's layout", async () => {
    const assigned = `${DEMO.clusterId}-privatelink.ali-cn-hangzhou.vectordb.zilliz.com.cn`.replace('vectordb', 'vdb2');
    const seed = seedWith((x) => {
      x.zilliz!.projects![0]!.clusters![0]!.privateLinkHost = assigned;
    });
    const w = await open({ seed, timings: FAST });
    const s = spec();
    const before = await w.provisionThrough('RegisterEndpoint', s);
    expect(before.records).toBeUndefined();
    const { state } = await w.settle(checkConnection, s, before);
    expect(state.zoneIps?.length).toBeGreaterThan(0);
    expect(await clusterTargets(s, w.deps)).toEqual([
      { clusterId: DEMO.clusterId, host: assigned, zoneName: 'ali-cn-hangzhou.vdb2.zilliz.com.cn', rr: `${DEMO.clusterId}-privatelink` },
    ]);
  });

  it('an assigned port the link was not set up for stops CheckConnection with what to do', async () => {
    const seed = seedWith((x) => {
      x.zilliz!.projects![0]!.clusters![0]!.port = 19531;
    });
    const w = await open({ seed, timings: FAST });
    const s = spec();
    const state = await w.provisionThrough('RegisterEndpoint', s);
    expect(state.port).toBe(19530);
    expect(await failure(w.settle(checkConnection, s, state), 'CheckConnection')).toEqual({
      step: 'CheckConnection',
      code: 'Zilliz.PortChanged',
      message: `Zilliz assigned cluster ${DEMO.clusterId} the private-link address https://${host(DEMO.clusterId)}:19531, but the link was set up for port 19530; run the provision flow again (Validate then reads the assigned port)`,
    });
  });
});

describe("CheckConnection: Alibaba's ConnectionStatus decides, Zilliz's status only warns of refusal", () => {
  it('Zilliz reporting null statuses throughout: ready as soon as Alibaba says Connected', async () => {
    const seed = seedWith((x) => {
      x.zilliz!.projects![0]!.endpointStatusWords = { pending: null, accepted: null, rejected: null };
    });
    const w = await open({ seed, timings: FAST });
    const s = spec();
    const state = await w.provisionThrough('RegisterEndpoint', s);
    expect((await w.deps.zilliz.listEndpoints(DEMO.projectId))[0]).toMatchObject({ endpointStatus: null });
    const { state: next, polls } = await w.settle(checkConnection, s, state);
    expect(polls).toBe(1);
    expect(next.zoneIps).toHaveLength(2);
  });

  it("Zilliz's own word for accepted (not `accepted`) still ends the wait once Connected", async () => {
    const seed = seedWith((x) => {
      x.zilliz!.projects![0]!.endpointStatusWords = { pending: 'Pending', accepted: 'Running', rejected: 'Rejected' };
    });
    const w = await open({ seed });
    const s = spec();
    const { state, polls } = await w.settle(checkConnection, s, await w.provisionThrough('RegisterEndpoint', s));
    expect(polls).toBeGreaterThan(1);
    expect(state.zoneIps).toHaveLength(2);
    expect((await w.deps.zilliz.listEndpoints(DEMO.projectId))[0]!.endpointStatus).toBe('Running');
  });

  it('a registration that vanished from Zilliz fails soon after, not at the deadline: Zilliz.NotRegistered', async () => {
    const w = await open({ timings: { ...FAST, acceptMs: 300_000 } });
    const s = spec();
    const state = await w.provisionThrough('RegisterEndpoint', s);
    const id = state.endpointId!;
    applyHandEdit(w.emu.world, { op: 'deregister', projectId: DEMO.projectId, endpointId: id });
    const t0 = w.emu.clock.now();
    const failed = await failure(w.settle(checkConnection, s, state), 'CheckConnection');
    expect(failed).toEqual({
      step: 'CheckConnection',
      code: 'Zilliz.NotRegistered',
      message: `endpoint ${id} is not registered with Zilliz project ${DEMO.projectId} (Alibaba ConnectionStatus: Disconnected); run the provision flow again to register it`,
    });
    const waited = w.emu.clock.now() - t0;
    expect(waited).toBeGreaterThanOrEqual(REGISTRATION_GRACE_MS);
    expect(waited).toBeLessThan(s.deadlines.connectionSeconds * 1000);
  });
});

describe("Zilliz's endpointService naming the Alibaba service by its ServiceId", () => {
  it('CheckService finds the service either way and records its ServiceName and ServiceId', async () => {
    const seed = seedWith((x) => {
      x.zilliz!.endpointServices![0]!.reportedAs = 'serviceId';
    });
    const w = await open({ seed, timings: FAST });
    const s = spec();
    const validated = await w.provisionThrough('Allowlist', s);
    expect(validated.serviceName).toBe(SERVICE_ID);
    const { state } = await w.settle(checkService, s, validated);
    expect([state.serviceName, state.serviceId]).toEqual([SERVICE_NAME, SERVICE_ID]);
    expect(callsOf(w.emu.calls.calls, 'ListVpcEndpointServicesByEndUser').at(-1)!.params).toMatchObject({ ServiceId: SERVICE_ID });
    // The rest of the flow goes on with Alibaba's ServiceName (ListVpcEndpoints filters by it).
    const connected = await w.provisionThrough('CheckConnection', s);
    expect(connected.endpointId).toMatch(/^ep-/);
  });
});

describe('Allowlist: no repeat once the endpoint service is visible', () => {
  const chinese = { code: 96099, message: '该阿里云账号已在白名单中，请勿重复添加' };

  it('the service already visible to the account: the call is skipped, so a repeat worded in Chinese never arises', async () => {
    const seed = seedWith((x) => {
      x.zilliz!.projects![0]!.allowlistRepeat = chinese;
    });
    const w = await open({ seed, timings: FAST });
    const s = spec();
    const state = await w.provisionThrough('CheckService', s);
    const again = await w.call(allowlist, s, state, { execution: 'exec-2' });
    expect(callsOf(w.emu.calls.calls, 'allowlistAccount')).toHaveLength(1);
    expect(again.state.changes.at(-1)).toEqual({
      step: 'Allowlist',
      action: 'unchanged',
      resource: 'account',
      id: DEMO.accountId,
      note: "Zilliz's endpoint service is already visible to it",
    });
  });

  it('a repeat made before the service shows (a retried step): the Chinese wording counts as already allowlisted', async () => {
    const seed = seedWith((x) => {
      x.zilliz!.projects![0]!.allowlistRepeat = chinese;
    });
    const w = await open({ seed });
    const s = spec();
    const first = await w.call(allowlist, s, start(s));
    const second = await w.call(allowlist, s, first.state);
    expect(callsOf(w.emu.calls.calls, 'allowlistAccount').map((c) => [c.ok, c.code])).toEqual([
      [true, undefined],
      [false, '96099'],
    ]);
    expect(second.state.changes).toEqual(first.state.changes);
  });

  it('an error that is no repeat is still an error', async () => {
    const w = await open();
    const z = new ZillizClient({ apiKey: DEMO.zillizApiKey, baseUrl: w.emu.zillizUrl, retry: TEST_RETRY });
    w.emu.faults.add({ target: 'allowlistAccount', kind: 'error', count: 1, code: '96040', httpStatus: 200, message: '账号不存在' });
    await expect(z.allowlistAccount(DEMO.projectId, 'ali-cn-hangzhou', DEMO.accountId)).rejects.toMatchObject({ code: 96040 });
  });
});
