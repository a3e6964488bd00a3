import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { systemClock, type Clock } from '../clock.ts';
import { splitProcessCommand } from './process-command.ts';
import { credentialsError, type CredentialProvider } from './provider.ts';
import { expiresAt, sessionProvider, type Session } from './session.ts';

const run = promisify(execFile);

/**
 * An `External` profile of ~/.aliyun/config.json: a command the user configured prints the key,
 * as aliyun/credentials-nodejs src/providers/external.ts (f61774c7) runs it: argv from
 * `process_command` (process-command.ts), the process's environment, 60 s at most; stdout is
 * JSON `{mode, access_key_id, access_key_secret, sts_token?, expiration?}`, the key pair required
 * and `sts_token` too when `mode` is `StsToken`. The answer is reused until 180 s before its
 * `expiration`, and without one the command runs again at each use, as in the library. Unlike
 * the library, zpl does not write the key back into config.json: it never changes the user's files.
 */
const TIMEOUT_MS = 60_000;
const EXPIRATION_SLOT_MS = 180_000;

interface ExternalAnswer {
  mode?: string;
  access_key_id?: string;
  access_key_secret?: string;
  sts_token?: string;
  expiration?: string;
}

export function externalProcessProvider(command: string, label: string, clock: Clock = systemClock): CredentialProvider {
  const refused = (why: string) => credentialsError('Credentials.ExternalCommandFailed', `${label}: ${why}`);
  const fetchSession = async (): Promise<Session> => {
    let argv: string[];
    try {
      argv = splitProcessCommand(command);
    } catch (e) {
      throw refused((e as Error).message);
    }
    const { stdout } = await run(argv[0]!, argv.slice(1), { timeout: TIMEOUT_MS, env: process.env }).catch((e: Error) => {
      throw refused(`process_command failed: ${e.message.split('\n')[0]}`);
    });
    let answer: ExternalAnswer;
    try {
      answer = JSON.parse(stdout) as ExternalAnswer;
    } catch {
      throw refused('process_command printed something other than JSON');
    }
    if (!answer?.access_key_id || !answer.access_key_secret)
      throw refused('process_command printed no access_key_id and access_key_secret');
    if (answer.mode === 'StsToken' && !answer.sts_token) throw refused('process_command printed mode StsToken without sts_token');
    return {
      key: {
        accessKeyId: answer.access_key_id,
        accessKeySecret: answer.access_key_secret,
        ...(answer.sts_token ? { securityToken: answer.sts_token } : {}),
      },
      // No expiration: expired at once, so the command runs again at the next use.
      expiresAt: expiresAt(answer.expiration ?? ''),
    };
  };
  return sessionProvider(`${label} (External: process_command)`, fetchSession, clock, EXPIRATION_SLOT_MS);
}
