import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CATALOG_BY_PRODUCT } from '../shared/aliyun/catalog.ts';
import { AliyunTransport } from '../shared/aliyun/rpc.ts';
import { StsApi } from '../shared/aliyun/sts.ts';
import { signV3 } from '../shared/aliyun/signature-v3.ts';
import { defaultChain } from '../shared/credentials/chain.ts';
import type { CredentialProvider } from '../shared/credentials/provider.ts';
import { chainSettings } from '../shared/credentials/settings.ts';
import { startEmulators, type Emulators } from '../local/emulators/index.ts';
import { startEcsMetadata } from '../local/emulators/ecs-metadata.ts';
import { oidcProviderArn } from '../local/emulators/alibaba/sts/model.ts';
import { EmulatedClock } from '../local/time/emulated-clock.ts';
import { metadata } from './support/metadata.ts';
import { TEST_RETRY } from './support/stack.ts';

/**
 * Every source of the default credential chain against the emulated STS and an emulated ECS
 * metadata service on loopback: the key each gives is used for a real signed call, and
 * GetCallerIdentity says whose it is.
 */

const REGION = 'cn-hangzhou';
const PLATFORM = '1234567890123456';
const CUSTOMER = '2234567890123456';
const ROOT = { accessKeyId: 'LTAI5tPlatformRoot0001', accessKeySecret: 'root-secret' };
const USER = { accessKeyId: 'LTAI5tPlatformUser0001', accessKeySecret: 'user-secret' };
const ISSUER = 'https://oidc.cluster.example.test';
const OIDC_ARN = oidcProviderArn(PLATFORM, 'ack-cluster');

let emu: Emulators;
let metadataUrl: string;
let closeMetadata: () => Promise<void>;

beforeAll(async () => {
  emu = await startEmulators({
    clock: new EmulatedClock({ mode: 'manual', start: Date.parse('2026-06-01T00:00:00Z') }),
    seed: {
      accounts: [
        {
          accountId: PLATFORM,
          accessKeys: [ROOT, { ...USER, ramUser: 'deployer' }],
          roles: [
            { roleName: 'zpl-admin', trustedAccounts: [PLATFORM] },
            { roleName: 'zpl-ecs', trustedAccounts: [] },
            { roleName: 'zpl-oidc', oidcProviders: [OIDC_ARN] },
          ],
          oidcProviders: [{ name: 'ack-cluster', issuerUrl: ISSUER, clientIds: ['sts.aliyuncs.com'] }],
        },
        {
          accountId: CUSTOMER,
          accessKeys: [{ accessKeyId: 'LTAI5tCustomerRoot0001', accessKeySecret: 'customer-secret' }],
          roles: [{ roleName: 'zpl-auditor', trustedAccounts: [PLATFORM] }],
        },
      ],
    },
  });
  const ecs = await startEcsMetadata(emu.world, emu.clock, { accountId: PLATFORM, instanceId: 'i-bp1instance0001', roleName: 'zpl-ecs' });
  metadataUrl = ecs.url;
  closeMetadata = ecs.close;
});
afterAll(async () => {
  await closeMetadata();
  await emu.close();
});

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'zpl-home-'));
});

/** The chain of a process whose environment is `env` (nothing else) and whose home is `home`. */
const chain = (env: NodeJS.ProcessEnv, profile?: string) =>
  defaultChain(chainSettings({ region: REGION, profile, env, home, transport: { clock: emu.clock, retry: TEST_RETRY } }));

/** Whose key the provider gives: a signed GetCallerIdentity with it. */
const whoAmI = (credentials: CredentialProvider) =>
  new StsApi(new AliyunTransport({ credentials, endpoint: emu.alibabaUrl, retry: TEST_RETRY }), REGION).callerIdentity();

const cliConfig = (config: unknown) => {
  mkdirSync(join(home, '.aliyun'), { recursive: true });
  writeFileSync(join(home, '.aliyun', 'config.json'), JSON.stringify(config));
};

/** A RamRoleArn profile: the RAM user's key takes on zpl-admin. */
const adminProfile = (sessionName: string) => ({
  name: 'admin',
  mode: 'RamRoleArn',
  access_key_id: USER.accessKeyId,
  access_key_secret: USER.accessKeySecret,
  ram_role_arn: `acs:ram::${PLATFORM}:role/zpl-admin`,
  ram_session_name: sessionName,
});

const stsOverride = () => ({ ZPL_STS_ENDPOINT: emu.alibabaUrl });
const assumeRoleCalls = () => emu.calls.calls.filter((c) => c.action === 'AssumeRole' && c.ok).length;

/** A JWT as an OIDC issuer signs it (the emulated STS reads its claims; it holds no IdP keys). */
const jwt = (claims: Record<string, unknown>) =>
  [{ alg: 'RS256', kid: 'k1' }, claims, 'signature']
    .map((part) => Buffer.from(typeof part === 'string' ? part : JSON.stringify(part)).toString('base64url'))
    .join('.');

describe('the default chain, source by source', () => {
  it('environment: ALIBABA_CLOUD_ACCESS_KEY_ID / _SECRET come first', async () => {
    const provider = chain({ ALIBABA_CLOUD_ACCESS_KEY_ID: USER.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: USER.accessKeySecret });
    await expect(whoAmI(provider)).resolves.toMatchObject({ IdentityType: 'RAMUser', Arn: `acs:ram::${PLATFORM}:user/deployer` });
    expect(provider.name).toBe('default chain: environment');
  });

  it('~/.aliyun/config.json: the current AK profile; --profile and ALIBABA_CLOUD_PROFILE pick another', async () => {
    cliConfig({
      current: 'root',
      profiles: [
        { name: 'root', mode: 'AK', access_key_id: ROOT.accessKeyId, access_key_secret: ROOT.accessKeySecret },
        { name: 'deployer', mode: 'AK', access_key_id: USER.accessKeyId, access_key_secret: USER.accessKeySecret },
      ],
    });
    await expect(whoAmI(chain({}))).resolves.toMatchObject({ IdentityType: 'Account', AccountId: PLATFORM });
    await expect(whoAmI(chain({}, 'deployer'))).resolves.toMatchObject({ IdentityType: 'RAMUser' });
    await expect(whoAmI(chain({ ALIBABA_CLOUD_PROFILE: 'deployer' }))).resolves.toMatchObject({ IdentityType: 'RAMUser' });
    // --profile means that profile alone: the environment's key does not win over it.
    const env = { ALIBABA_CLOUD_ACCESS_KEY_ID: ROOT.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: ROOT.accessKeySecret };
    await expect(whoAmI(chain(env, 'deployer'))).resolves.toMatchObject({ IdentityType: 'RAMUser' });
    await expect(whoAmI(chain({}, 'nobody'))).rejects.toMatchObject({ code: 'Credentials.ProfileNotFound' });
  });

  it('RamRoleArn profile: AssumeRole with the profile key through ZPL_STS_ENDPOINT, the session kept until 15 minutes before it expires', async () => {
    cliConfig({
      current: 'admin',
      // A host the profile names is never dialled while ZPL_STS_ENDPOINT says otherwise.
      profiles: [{ ...adminProfile('ops-laptop'), sts_endpoint: 'sts.cn-hangzhou.aliyuncs.com' }],
    });
    const provider = chain(stsOverride());
    const before = assumeRoleCalls();
    await expect(whoAmI(provider)).resolves.toMatchObject({
      IdentityType: 'AssumedRoleUser',
      AccountId: PLATFORM,
      Arn: `acs:ram::${PLATFORM}:role/zpl-admin/ops-laptop`,
    });
    await whoAmI(provider);
    expect(assumeRoleCalls() - before).toBe(1);
    // 3600 s sessions: at 45 minutes and a second the key is stale and asked for again.
    emu.clock.advance(45 * 60_000 + 1000);
    await whoAmI(provider);
    expect(assumeRoleCalls() - before).toBe(2);
  });

  it('ChainableRamRoleArn: a role session taken with another profile’s session (here into another account)', async () => {
    cliConfig({
      current: 'audit',
      profiles: [
        adminProfile('hop-1'),
        {
          name: 'audit',
          mode: 'ChainableRamRoleArn',
          source_profile: 'admin',
          ram_role_arn: `acs:ram::${CUSTOMER}:role/zpl-auditor`,
          ram_session_name: 'hop-2',
        },
      ],
    });
    await expect(whoAmI(chain(stsOverride()))).resolves.toMatchObject({
      IdentityType: 'AssumedRoleUser',
      AccountId: CUSTOMER,
      Arn: `acs:ram::${CUSTOMER}:role/zpl-auditor/hop-2`,
    });
  });

  it("RamRoleArn with an account's own key: STS refuses it as the API reference says", async () => {
    cliConfig({
      current: 'root-role',
      profiles: [
        {
          name: 'root-role',
          mode: 'RamRoleArn',
          access_key_id: ROOT.accessKeyId,
          access_key_secret: ROOT.accessKeySecret,
          ram_role_arn: `acs:ram::${PLATFORM}:role/zpl-admin`,
        },
      ],
    });
    await expect(whoAmI(chain(stsOverride(), 'root-role'))).rejects.toMatchObject({ code: 'NoPermission', httpStatus: 403 });
    expect(emu.calls.calls.at(-1)).toMatchObject({ action: 'AssumeRole', ok: false, code: 'NoPermission' });
  });

  it('EcsRamRole profile and ALIBABA_CLOUD_ECS_METADATA: the instance role from the metadata service, with an IMDSv2 token', async () => {
    cliConfig({ current: 'ecs', profiles: [{ name: 'ecs', mode: 'EcsRamRole', ram_role_name: 'zpl-ecs' }] });
    const viaProfile = chain({ ZPL_ECS_METADATA_ENDPOINT: metadataUrl });
    await expect(whoAmI(viaProfile)).resolves.toMatchObject({
      IdentityType: 'AssumedRoleUser',
      Arn: `acs:ram::${PLATFORM}:role/zpl-ecs/i-bp1instance0001`,
    });
    // The role name asked of the service when none is configured.
    cliConfig({ current: 'ecs', profiles: [{ name: 'ecs', mode: 'EcsRamRole' }] });
    await expect(whoAmI(chain({ ZPL_ECS_METADATA_ENDPOINT: metadataUrl }))).resolves.toMatchObject({ IdentityType: 'AssumedRoleUser' });
    // No profile: the chain's last source, asked because the environment names the role.
    const viaEnv = chain({
      ALIBABA_CLOUD_ECS_METADATA: 'zpl-ecs',
      ZPL_ECS_METADATA_ENDPOINT: metadataUrl,
      ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'true',
    });
    await expect(whoAmI(viaEnv)).resolves.toMatchObject({ Arn: `acs:ram::${PLATFORM}:role/zpl-ecs/i-bp1instance0001` });
    // The emulated service is in hardened mode: IMDSv1 (no token) is refused, so the key came through a token.
    const v1 = await fetch(`${metadataUrl}/latest/meta-data/ram/security-credentials/zpl-ecs`);
    expect(v1.status).toBe(401);
  });

  it('OIDC from the environment (ALIBABA_CLOUD_ROLE_ARN, _OIDC_PROVIDER_ARN, _OIDC_TOKEN_FILE), unsigned AssumeRoleWithOIDC', async () => {
    const tokenFile = join(home, 'token');
    const now = emu.clock.now() / 1000;
    writeFileSync(
      tokenFile,
      jwt({ iss: ISSUER, aud: 'sts.aliyuncs.com', sub: 'system:serviceaccount:zpl:runner', iat: now, exp: now + 3600 }),
    );
    const env = {
      ...stsOverride(),
      ALIBABA_CLOUD_ROLE_ARN: `acs:ram::${PLATFORM}:role/zpl-oidc`,
      ALIBABA_CLOUD_OIDC_PROVIDER_ARN: OIDC_ARN,
      ALIBABA_CLOUD_OIDC_TOKEN_FILE: tokenFile,
      ALIBABA_CLOUD_ROLE_SESSION_NAME: 'pod-runner',
    };
    await expect(whoAmI(chain(env))).resolves.toMatchObject({
      IdentityType: 'AssumedRoleUser',
      Arn: `acs:ram::${PLATFORM}:role/zpl-oidc/pod-runner`,
    });
    const call = emu.calls.calls.findLast((c) => c.action === 'AssumeRoleWithOIDC')!;
    expect(call).toMatchObject({ ok: true, caller: undefined });

    // The same through an OIDC profile; an expired token is STS's AuthenticationFail.OIDCToken.Expired.
    writeFileSync(tokenFile, jwt({ iss: ISSUER, aud: 'sts.aliyuncs.com', sub: 'x', iat: now - 7200, exp: now - 3600 }));
    cliConfig({
      current: 'oidc',
      profiles: [
        {
          name: 'oidc',
          mode: 'OIDC',
          ram_role_arn: `acs:ram::${PLATFORM}:role/zpl-oidc`,
          oidc_provider_arn: OIDC_ARN,
          oidc_token_file: tokenFile,
          ram_session_name: 'ci',
        },
      ],
    });
    await expect(whoAmI(chain(stsOverride(), 'oidc'))).rejects.toMatchObject({
      code: 'AuthenticationFail.OIDCToken.Expired',
      httpStatus: 401,
    });
  });

  it('the shared credentials file (~/.alibabacloud/credentials): an access_key section', async () => {
    mkdirSync(join(home, '.alibabacloud'));
    writeFileSync(
      join(home, '.alibabacloud', 'credentials'),
      `[default]\ntype = access_key\naccess_key_id = ${ROOT.accessKeyId}\naccess_key_secret = ${ROOT.accessKeySecret}\n\n[ops]\ntype = access_key\naccess_key_id = ${USER.accessKeyId}\naccess_key_secret = ${USER.accessKeySecret}\n`,
    );
    await expect(whoAmI(chain({}))).resolves.toMatchObject({ IdentityType: 'Account' });
    await expect(whoAmI(chain({ ALIBABA_CLOUD_PROFILE: 'ops' }))).resolves.toMatchObject({ IdentityType: 'RAMUser' });
  });

  it('no source: NoCredentials naming each source tried, and the metadata service is not among them unless configured', async () => {
    const error = (await whoAmI(chain({})).then(
      () => undefined,
      (e: unknown) => e,
    )) as { code: string; message: string };
    expect(error).toMatchObject({ code: 'NoCredentials' });
    expect(error.message).toContain('environment');
    expect(error.message).toContain('.aliyun/config.json');
    expect(error.message).not.toContain('ecs_ram_role');
  });
});

describe('a temporary key goes with its SecurityToken (V3 x-acs-security-token)', () => {
  const session = async () => {
    const sts = new AliyunTransport({ credentials: USER, endpoint: emu.alibabaUrl, retry: TEST_RETRY, catalog: CATALOG_BY_PRODUCT });
    const answer = await sts.call('Sts', 'AssumeRole', REGION, {
      RoleArn: `acs:ram::${PLATFORM}:role/zpl-admin`,
      RoleSessionName: 'token-check',
    });
    return answer.Credentials;
  };
  const identity = (key: { accessKeyId: string; accessKeySecret: string; securityToken?: string }) =>
    new StsApi(new AliyunTransport({ credentials: key, endpoint: emu.alibabaUrl, retry: TEST_RETRY }), REGION).callerIdentity();

  it('the signer signs the token; the emulated STS refuses the key without it, with another, and once expired', async () => {
    const c = await session();
    const headers = signV3({
      method: 'POST',
      host: 'sts.cn-hangzhou.aliyuncs.com',
      action: 'GetCallerIdentity',
      version: '2015-04-01',
      query: {},
      body: '',
      accessKeyId: c.AccessKeyId,
      accessKeySecret: c.AccessKeySecret,
      securityToken: c.SecurityToken,
    });
    expect(headers['x-acs-security-token']).toBe(c.SecurityToken);
    expect(headers.authorization).toMatch(/SignedHeaders=[^,]*x-acs-security-token/);

    const key = { accessKeyId: c.AccessKeyId, accessKeySecret: c.AccessKeySecret };
    await expect(identity({ ...key, securityToken: c.SecurityToken })).resolves.toMatchObject({ IdentityType: 'AssumedRoleUser' });
    await expect(identity(key)).rejects.toMatchObject({ code: 'MissingSecurityToken' });
    await expect(identity({ ...key, securityToken: 'CAISsomeoneelse' })).rejects.toMatchObject({
      code: 'InvalidSecurityToken.MismatchWithAccessKey',
    });
    emu.clock.advance(3600_000);
    await expect(identity({ ...key, securityToken: c.SecurityToken })).rejects.toMatchObject({ code: 'InvalidSecurityToken.Expired' });
  });

  it('AssumeRoleWithOIDC is the one anonymous action, as the metadata says (security ARS_OIDC, not AK)', async () => {
    const sts = metadata('Sts').apis as Record<string, { security?: Record<string, unknown>[] }>;
    expect(Object.keys(sts.AssumeRoleWithOIDC!.security![0]!)).toEqual(['ARS_OIDC']);
    expect(Object.keys(sts.AssumeRole!.security![0]!)).toEqual(['AK']);
    // Unsigned, any other action is refused before it runs.
    const res = await fetch(`${emu.alibabaUrl}/?Action=GetCallerIdentity&Version=2015-04-01&Format=JSON`, { method: 'POST' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ Code: 'IncompleteSignature' });
  });
});
