import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../local/emulators/fixtures.ts';
import type { FcContext } from '../shared/fc-context.ts';
import { jsonLogger } from '../shared/log.ts';
import { depsFromEnvironment } from '../shared/steps/runtime.ts';
import { StepFailure } from '../shared/steps/types.ts';
import { readSecret, SECRET_CACHE_MS } from '../shared/secrets.ts';
import { handler as apiHandler } from '../functions/api/index.ts';
import { callsTo, startTestWorld, type TestWorld } from './support/stack.ts';

/**
 * Secrets at run time: a function whose `<VARIABLE>_SECRET_NAME` names a KMS Secrets Manager
 * secret reads it with its role's credentials (GetSecretValue on the emulated KMS); the plain
 * variable is the fallback; a secret that cannot be read stops the function naming the secret,
 * never its value; no value reaches a log line.
 */

const ZILLIZ_SECRET = 'zpl-zilliz-api-key';
const context = (name: string): FcContext => ({
  requestId: 'req-secrets',
  credentials: { accessKeyId: DEMO.accessKeyId, accessKeySecret: DEMO.accessKeySecret },
  function: { name, handler: 'index.handler', memory: 256, timeout: 720, qualifier: 'LATEST' },
  region: DEMO.region,
  accountId: DEMO.accountId,
});

describe('secrets from KMS Secrets Manager, the plain variable as fallback', () => {
  let w: TestWorld;
  const lines: string[] = [];
  const log = jsonLogger((l) => lines.push(l), { function: 'zpl-check-service' });
  beforeAll(async () => {
    w = await startTestWorld();
    w.emu.world.kms.put(DEMO.accountId, ZILLIZ_SECRET, DEMO.zillizApiKey);
  });
  afterAll(() => w.emu.close());
  const stepEnv = (more: Record<string, string>) => ({ ZPL_ALIBABA_ENDPOINT: w.emu.alibabaUrl, ZPL_ZILLIZ_URL: w.emu.zillizUrl, ...more });

  it('a step reads its Zilliz key from KMS by name and works with it; a warm instance asks KMS once in five minutes', async () => {
    const deps = await depsFromEnvironment(context('zpl-check-service'), log, stepEnv({ ZILLIZ_API_KEY_SECRET_NAME: ZILLIZ_SECRET }));
    // The Zilliz emulator refuses an unknown key: this answer needs the key KMS holds.
    expect((await deps.zilliz.describeCluster(DEMO.clusterId)).clusterId).toBe(DEMO.clusterId);
    expect(callsTo(w, 'GetSecretValue').map((c) => [c.ok, c.params])).toEqual([[true, { SecretName: ZILLIZ_SECRET }]]);
    await depsFromEnvironment(context('zpl-check-service'), log, stepEnv({ ZILLIZ_API_KEY_SECRET_NAME: ZILLIZ_SECRET }));
    expect(callsTo(w, 'GetSecretValue')).toHaveLength(1);
    // A rotated value arrives once the five minutes are over.
    w.emu.world.kms.put(DEMO.accountId, ZILLIZ_SECRET, 'rotated-key');
    const source = {
      env: { ZILLIZ_API_KEY_SECRET_NAME: ZILLIZ_SECRET },
      credentials: context('x').credentials,
      region: DEMO.region,
      endpoint: w.emu.alibabaUrl,
    };
    const later = { now: () => Date.now() + SECRET_CACHE_MS + 1, sleep: () => Promise.resolve() };
    expect(await readSecret('ZILLIZ_API_KEY', { ...source, clock: later })).toBe('rotated-key');
    expect(callsTo(w, 'GetSecretValue')).toHaveLength(2);
    w.emu.world.kms.put(DEMO.accountId, ZILLIZ_SECRET, DEMO.zillizApiKey);
    for (const l of lines) expect(l).not.toContain(DEMO.zillizApiKey);
  });

  it('without a secret name, the plain variable is used and KMS is not asked', async () => {
    const before = callsTo(w, 'GetSecretValue').length;
    const deps = await depsFromEnvironment(context('zpl-allowlist'), log, stepEnv({ ZILLIZ_API_KEY: DEMO.zillizApiKey }));
    expect((await deps.zilliz.describeCluster(DEMO.clusterId)).clusterId).toBe(DEMO.clusterId);
    expect(callsTo(w, 'GetSecretValue')).toHaveLength(before);
  });

  it('a secret KMS does not have stops the step with a code naming the secret (Forbidden.ResourceNotFound, 404), not a value', async () => {
    const failure = await depsFromEnvironment(
      context('zpl-validate'),
      log,
      stepEnv({ ZILLIZ_API_KEY_SECRET_NAME: 'zpl-no-such-secret', ZILLIZ_API_KEY: 'never-used' }),
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(StepFailure);
    expect(failure).toMatchObject({ code: 'Config.SecretUnavailable' });
    expect((failure as Error).message).toContain('KMS secret zpl-no-such-secret unreadable (Forbidden.ResourceNotFound)');
    expect((failure as Error).message).not.toContain('never-used');
    expect(callsTo(w, 'GetSecretValue').at(-1)).toMatchObject({ ok: false, httpStatus: 404, code: 'Forbidden.ResourceNotFound' });
    // Neither a name nor a value: the step says which variable to set.
    await expect(depsFromEnvironment(context('zpl-validate'), log, stepEnv({}))).rejects.toMatchObject({ code: 'Config.Missing' });
  });

  describe('the API function reads its token from KMS', () => {
    const saved = { ...process.env };
    afterEach(() => {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    });

    it('a request with the token KMS holds is let in, another is refused; the token is in no answer', async () => {
      const token = 'kms-held-api-token-0123456789';
      w.emu.world.kms.put(DEMO.accountId, 'zpl-api-token', token);
      Object.assign(process.env, { ZPL_ALIBABA_ENDPOINT: w.emu.alibabaUrl, ZPL_API_TOKEN_SECRET_NAME: 'zpl-api-token' });
      delete process.env.ZPL_API_TOKEN;
      delete process.env.ZPL_API_HMAC_SECRET;
      const call = (authorization: string) =>
        apiHandler(
          Buffer.from(
            JSON.stringify({
              version: 'v1',
              rawPath: '/v1/openapi.json',
              headers: { authorization },
              queryParameters: {},
              body: '',
              isBase64Encoded: false,
              requestContext: {
                requestId: 'r',
                domainName: 'api.example.com',
                http: { method: 'GET', path: '/v1/openapi.json', sourceIp: '127.0.0.1' },
              },
            }),
          ),
          context('zpl-api'),
        );
      const ok = await call(`Bearer ${token}`);
      expect(ok.statusCode).toBe(200);
      const refused = await call('Bearer not-the-token');
      expect(refused.statusCode).toBe(401);
      for (const r of [ok, refused]) expect(JSON.stringify(r)).not.toContain(token);
    });
  });
});
