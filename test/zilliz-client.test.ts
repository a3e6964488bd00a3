import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EmulatedClock } from '../local/time/emulated-clock.ts';
import { ZillizClient } from '../shared/zilliz/client.ts';
import { ZillizError } from '../shared/zilliz/errors.ts';
import { RateLimiter } from '../shared/rate-limit.ts';
import { DEMO } from '../local/emulators/fixtures.ts';
import { startTestWorld, TEST_RETRY, type TestWorld } from './support/stack.ts';

let w: TestWorld;
beforeEach(async () => {
  w = await startTestWorld({ serviceVisibleMs: 0, endpointActiveMs: 0, acceptMs: 0, connectMs: 0, changeMs: 0 });
});
afterEach(() => w.emu.close());

const zillizCalls = (op: string) => w.emu.calls.calls.filter((c) => c.service === 'zilliz' && c.action === op);

describe('Zilliz control-plane client', () => {
  // Was: a Dedicated cluster always carried its private-link address. Zilliz answers "" until a
  // private link exists (zdoc_cn list-clusters-v2), and the emulator now does too.
  it('reads the endpoint service and describes a Dedicated cluster, its private-link address empty before any link', async () => {
    expect(await w.zilliz.endpointServices('ali-cn-hangzhou')).toEqual([
      {
        regionId: 'ali-cn-hangzhou',
        cloudId: 'ali',
        endpointService: 'com.aliyuncs.privatelink.cn-hangzhou.epsrv-bp1zillizhz0000001',
        whitelistRequired: true,
      },
    ]);
    expect(await w.zilliz.describeCluster(DEMO.clusterId)).toMatchObject({
      projectId: DEMO.projectId,
      regionId: 'ali-cn-hangzhou',
      status: 'RUNNING',
      plan: 'Enterprise',
      privateLinkAddress: '',
    });
  });

  it.each([
    ['unknown cluster', (z: ZillizClient) => z.describeCluster('in01-ffffffffffffffff'), 96018],
    ['bad region', (z: ZillizClient) => z.endpointServices('cn-hangzhou'), 96001],
    ['malformed project', (z: ZillizClient) => z.listEndpoints('project-1'), 96005],
    ['foreign project', (z: ZillizClient) => z.listEndpoints('proj-00000000000000000000'), 96012],
    ['endpoint that does not exist', (z: ZillizClient) => z.registerEndpoint(DEMO.projectId, 'ali-cn-hangzhou', 'ep-nope'), 96040],
  ])('turns a non-zero envelope code into a ZillizError (%s), without retrying', async (_name, call, code) => {
    const error = await call(w.zilliz).catch((e) => e);
    expect(error).toBeInstanceOf(ZillizError);
    expect(error).toMatchObject({ code, retryable: false });
    expect(error.requestId).toBeTruthy();
  });

  it('refuses a wrong API key', async () => {
    const z = new ZillizClient({ apiKey: 'wrong', baseUrl: w.emu.zillizUrl, retry: TEST_RETRY });
    await expect(z.endpointServices('ali-cn-hangzhou')).rejects.toMatchObject({ httpStatus: 401, retryable: false });
  });

  it('allowlists, registers and lists through every page', async () => {
    await w.zilliz.allowlistAccount(DEMO.projectId, 'ali-cn-hangzhou', DEMO.accountId);
    await w.zilliz.allowlistAccount(DEMO.projectId, 'ali-cn-hangzhou', DEMO.accountId); // repeatable
    // 105 registrations force two pages of 100.
    const registrations = new Map(
      Array.from({ length: 105 }, (_, i) => [
        `ep-bp1page${String(i).padStart(11, '0')}`,
        { endpointId: `ep-bp1page${String(i).padStart(11, '0')}`, regionId: 'ali-cn-hangzhou', registeredAt: 0 },
      ]),
    );
    w.emu.world.zilliz.registrations.set(DEMO.projectId, registrations);
    const all = await w.zilliz.listEndpoints(DEMO.projectId);
    expect(all).toHaveLength(105);
    expect(new Set(all.map((e) => e.endpointId)).size).toBe(105);
    expect(zillizCalls('listEndpoints')).toHaveLength(2);
  });

  it('treats an "already" answer to allowlisting as success', async () => {
    w.emu.faults.add({
      target: 'allowlistAccount',
      kind: 'error',
      code: '96099',
      message: 'The account is already in the whitelist.',
      httpStatus: 200,
      count: 1,
    });
    await expect(w.zilliz.allowlistAccount(DEMO.projectId, 'ali-cn-hangzhou', DEMO.accountId)).resolves.toBeUndefined();
  });

  it('retries 5xx and lost replies, and registration stays single', async () => {
    await w.zilliz.allowlistAccount(DEMO.projectId, 'ali-cn-hangzhou', DEMO.accountId);
    w.emu.world.endpoints.set('ep-bp1retry000000000001', {
      endpointId: 'ep-bp1retry000000000001',
      accountId: DEMO.accountId,
      regionId: 'cn-hangzhou',
      vpcId: DEMO.vpcId,
      serviceId: 'epsrv-bp1zillizhz0000001',
      name: 'x',
      description: '',
      securityGroupIds: [],
      tags: [],
      zones: [],
      createdAt: 0,
      activeAt: 0,
    });
    w.emu.faults.add({ target: 'registerEndpoint', kind: 'error', code: '500', httpStatus: 503, count: 1 });
    w.emu.faults.add({ target: 'registerEndpoint', kind: 'lostReply', count: 1 });
    await w.zilliz.registerEndpoint(DEMO.projectId, 'ali-cn-hangzhou', 'ep-bp1retry000000000001');
    expect(zillizCalls('registerEndpoint').map((c) => c.fault ?? 'ok')).toEqual(['500', 'lostReply', 'ok']);
    expect(await w.zilliz.listEndpoints(DEMO.projectId)).toHaveLength(1);
  });

  it('refuses to register for a project whose plan is not eligible', async () => {
    w.emu.world.seed({
      zilliz: {
        apiKeys: [{ apiKey: 'serverless-key', projectIds: ['proj-5e5e5e5e5e5e'] }],
        projects: [{ projectId: 'proj-5e5e5e5e5e5e', clusters: [{ clusterId: 'in03-0123456789abcdef', regionId: 'ali-cn-hangzhou' }] }],
      },
    });
    const z = new ZillizClient({ apiKey: 'serverless-key', baseUrl: w.emu.zillizUrl, retry: TEST_RETRY });
    await expect(z.registerEndpoint('proj-5e5e5e5e5e5e', 'ali-cn-hangzhou', 'ep-x')).rejects.toMatchObject({ code: 96028 });
    // Was: no privateLinkAddress field. Zilliz answers "" (zdoc_cn describe-cluster: an in05- Serverless cluster), and in03- is Free.
    expect(await z.describeCluster('in03-0123456789abcdef')).toMatchObject({ plan: 'Free', privateLinkAddress: '' });
  });

  it('the emulator enforces 20 requests/s per key and route', async () => {
    const unlimited = new ZillizClient({
      apiKey: DEMO.zillizApiKey,
      baseUrl: w.emu.zillizUrl,
      retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
      requestsPerSecond: 1000,
    });
    const results = await Promise.allSettled(Array.from({ length: 25 }, () => unlimited.endpointServices('ali-cn-hangzhou')));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(20);
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.httpStatus)).toEqual([
      429, 429, 429, 429, 429,
    ]);
  });

  it('fails on a non-JSON reply with the HTTP status', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html>bad gateway</html>');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const z = new ZillizClient({
      apiKey: 'k',
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
    });
    await expect(z.describeCluster(DEMO.clusterId)).rejects.toMatchObject({ code: 'HTTP502', retryable: true });
    server.close();
  });
});

describe('client-side rate limiter', () => {
  it('admits at most N starts per window, in order', async () => {
    const clock = new EmulatedClock({ mode: 'manual', start: 0 });
    const limiter = new RateLimiter(3, 1000, clock);
    const started: number[] = [];
    const all = Array.from({ length: 7 }, (_, i) => limiter.acquire().then(() => started.push(i)));
    const settle = async () => {
      for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
    };
    await settle();
    expect(started).toEqual([0, 1, 2]);
    clock.advance(1000);
    await settle();
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
    clock.advance(1000);
    await Promise.all(all);
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });
});
