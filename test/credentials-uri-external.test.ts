import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AliyunTransport } from '../shared/aliyun/rpc.ts';
import { StsApi } from '../shared/aliyun/sts.ts';
import { defaultChain } from '../shared/credentials/chain.ts';
import { splitProcessCommand } from '../shared/credentials/process-command.ts';
import type { CredentialProvider } from '../shared/credentials/provider.ts';
import { chainSettings } from '../shared/credentials/settings.ts';
import { roleArn } from '../local/emulators/alibaba/sts/model.ts';
import { startEmulators, type Emulators } from '../local/emulators/index.ts';
import { EmulatedClock } from '../local/time/emulated-clock.ts';
import { TEST_RETRY } from './support/stack.ts';

/**
 * The two sources of the default chain that hand over a key someone else produced: a credentials
 * server at ALIBABA_CLOUD_CREDENTIALS_URI (here on loopback, serving sessions of the emulated STS)
 * and an `External` profile's command (a Node script printing JSON). Each key signs a real call
 * and GetCallerIdentity says whose it is.
 */

const REGION = 'cn-hangzhou';
const PLATFORM = '1234567890123456';
const USER = { accessKeyId: 'LTAI5tPlatformUser0001', accessKeySecret: 'user-secret' };

let emu: Emulators;
let server: Server;
let serverUrl: string;
let served = 0;
let answerStatus = 200;

beforeAll(async () => {
  emu = await startEmulators({
    clock: new EmulatedClock({ mode: 'manual', start: Date.parse('2026-06-01T00:00:00Z') }),
    seed: {
      accounts: [
        {
          accountId: PLATFORM,
          accessKeys: [{ ...USER, ramUser: 'deployer' }],
          roles: [{ roleName: 'zpl-broker', trustedAccounts: [PLATFORM] }],
        },
      ],
    },
  });
  // A credentials server as the library expects one: the body of an STS session (1 hour).
  server = createServer((_req, res) => {
    served++;
    if (answerStatus !== 200) {
      res.writeHead(answerStatus).end('broker is down');
      return;
    }
    const role = emu.world.sts.role(roleArn(PLATFORM, 'zpl-broker'))!;
    const session = emu.world.sts.issue(role, 'broker', 3600, emu.world.now());
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(session.Credentials));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/credentials`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await emu.close();
});

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'zpl-home-'));
  served = 0;
  answerStatus = 200;
});

const chain = (env: NodeJS.ProcessEnv, profile?: string) =>
  defaultChain(chainSettings({ region: REGION, profile, env, home, transport: { clock: emu.clock, retry: TEST_RETRY } }));

const whoAmI = (credentials: CredentialProvider) =>
  new StsApi(new AliyunTransport({ credentials, endpoint: emu.alibabaUrl, retry: TEST_RETRY }), REGION).callerIdentity();

describe('ALIBABA_CLOUD_CREDENTIALS_URI: the chain’s last source', () => {
  it('a session from the server signs with its token, kept until 15 minutes before it expires', async () => {
    const provider = chain({ ALIBABA_CLOUD_CREDENTIALS_URI: serverUrl, ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'true' });
    await expect(whoAmI(provider)).resolves.toMatchObject({
      IdentityType: 'AssumedRoleUser',
      Arn: `acs:ram::${PLATFORM}:role/zpl-broker/broker`,
    });
    expect(provider.name).toBe('default chain: credentials URI (ALIBABA_CLOUD_CREDENTIALS_URI)');
    await whoAmI(provider);
    expect(served).toBe(1);
    emu.clock.advance(46 * 60_000);
    await expect(whoAmI(provider)).resolves.toMatchObject({ IdentityType: 'AssumedRoleUser' });
    expect(served).toBe(2);
  });

  it('an answer other than 200 fails the chain naming the server; unset, the server is never asked', async () => {
    answerStatus = 503;
    const error = (await whoAmI(chain({ ALIBABA_CLOUD_CREDENTIALS_URI: serverUrl })).catch((e: unknown) => e)) as { message: string };
    expect(error).toMatchObject({ code: 'NoCredentials' });
    expect(error.message).toContain(`${serverUrl} answered HTTP 503`);
    served = 0;
    await expect(whoAmI(chain({}))).rejects.toMatchObject({ code: 'NoCredentials' });
    expect(served).toBe(0);
  });

  it('the environment’s key still comes first', async () => {
    const provider = chain({
      ALIBABA_CLOUD_ACCESS_KEY_ID: USER.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: USER.accessKeySecret,
      ALIBABA_CLOUD_CREDENTIALS_URI: serverUrl,
    });
    await expect(whoAmI(provider)).resolves.toMatchObject({ IdentityType: 'RAMUser' });
    expect(served).toBe(0);
  });
});

describe('External profiles: process_command prints the key', () => {
  /** A credential helper in a folder whose name has a space; it prints answer.json and counts its runs. */
  const helper = (answer: unknown) => {
    const dir = join(home, 'my tools');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'answer.json'), JSON.stringify(answer));
    writeFileSync(
      join(dir, 'cred.js'),
      `require('fs').appendFileSync(${JSON.stringify(join(dir, 'runs'))}, 'x');process.stdout.write(require('fs').readFileSync(${JSON.stringify(join(dir, 'answer.json'))}, 'utf8'));`,
    );
    mkdirSync(join(home, '.aliyun'), { recursive: true });
    writeFileSync(
      join(home, '.aliyun', 'config.json'),
      JSON.stringify({
        current: 'sso-bridge',
        profiles: [{ name: 'sso-bridge', mode: 'External', process_command: `"${process.execPath}" '${join(dir, 'cred.js')}'` }],
      }),
    );
    appendFileSync(join(dir, 'runs'), '');
    return { runs: () => readFileSync(join(dir, 'runs'), 'utf8').length };
  };

  it('an AK answer signs; without an expiration the command runs at each use, as in the library', async () => {
    const h = helper({ mode: 'AK', access_key_id: USER.accessKeyId, access_key_secret: USER.accessKeySecret });
    const provider = chain({});
    await expect(whoAmI(provider)).resolves.toMatchObject({ IdentityType: 'RAMUser', Arn: `acs:ram::${PLATFORM}:user/deployer` });
    await whoAmI(provider);
    expect(h.runs()).toBe(2);
    // The user's config file is left as it was (the library writes the key back into it).
    expect(JSON.parse(readFileSync(join(home, '.aliyun', 'config.json'), 'utf8')).profiles[0]).not.toHaveProperty('access_key_id');
  });

  it('a StsToken answer with an expiration is kept until 180 s before it', async () => {
    const role = emu.world.sts.role(roleArn(PLATFORM, 'zpl-broker'))!;
    const c = emu.world.sts.issue(role, 'sso', 3600, emu.world.now()).Credentials;
    const h = helper({
      mode: 'StsToken',
      access_key_id: c.AccessKeyId,
      access_key_secret: c.AccessKeySecret,
      sts_token: c.SecurityToken,
      expiration: c.Expiration,
    });
    const provider = chain({}, 'sso-bridge');
    await expect(whoAmI(provider)).resolves.toMatchObject({ Arn: `acs:ram::${PLATFORM}:role/zpl-broker/sso` });
    emu.clock.advance(50 * 60_000);
    await whoAmI(provider);
    expect(h.runs()).toBe(1);
    emu.clock.advance(8 * 60_000);
    await whoAmI(provider).catch(() => undefined);
    expect(h.runs()).toBe(2);
  });

  it('refuses an answer the library refuses: no key, or StsToken without its token', async () => {
    helper({ mode: 'AK', access_key_id: USER.accessKeyId });
    await expect(whoAmI(chain({}, 'sso-bridge'))).rejects.toMatchObject({
      code: 'Credentials.ExternalCommandFailed',
      message: expect.stringContaining('no access_key_id and access_key_secret'),
    });
    helper({ mode: 'StsToken', access_key_id: USER.accessKeyId, access_key_secret: USER.accessKeySecret });
    await expect(whoAmI(chain({}, 'sso-bridge'))).rejects.toMatchObject({ message: expect.stringContaining('without sts_token') });
  });

  it('CloudSSO and OAuth profiles are refused by name, pointing at External', async () => {
    mkdirSync(join(home, '.aliyun'), { recursive: true });
    writeFileSync(
      join(home, '.aliyun', 'config.json'),
      JSON.stringify({
        current: 'sso',
        profiles: [
          { name: 'sso', mode: 'CloudSSO' },
          { name: 'oauth', mode: 'OAuth', oauth_site_type: 'CN' },
        ],
      }),
    );
    for (const profile of ['sso', 'oauth'])
      await expect(whoAmI(chain({}, profile))).rejects.toMatchObject({
        code: 'Credentials.ProfileModeUnsupported',
        message: expect.stringContaining('External'),
      });
  });
});

describe('process_command is split as the library splits it (its test/utils/command.test.ts, Unix cases)', () => {
  it.each([
    ['cmd arg1 arg2', ['cmd', 'arg1', 'arg2']],
    ['  cmd   arg1\targ2  ', ['cmd', 'arg1', 'arg2']],
    ["'/usr/local/my tools/cred' arg", ['/usr/local/my tools/cred', 'arg']],
    ['tool --name "First Last"', ['tool', '--name', 'First Last']],
    ['/bin/echo \'{"mode":"AK","access_key_id":"ak"}\'', ['/bin/echo', '{"mode":"AK","access_key_id":"ak"}']],
    ["/usr/bin/printf '\\173\\042mode\\042\\175'", ['/usr/bin/printf', '\\173\\042mode\\042\\175']],
    ['tool arg\\ with\\ space', ['tool', 'arg with space']],
    ['tool "say \\"hi\\""', ['tool', 'say "hi"']],
    ['tool "" arg', ['tool', '', 'arg']],
  ])('%s', (command, argv) => {
    expect(splitProcessCommand(command)).toEqual(argv);
  });

  it.each([['tool "open'], ["tool 'open"], ['tool arg\\'], ['   ']])('refuses %j', (command) => {
    expect(() => splitProcessCommand(command)).toThrow();
  });
});
