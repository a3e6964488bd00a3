import { systemClock, type Clock } from '../clock.ts';
import { credentialsError, type CredentialProvider } from './provider.ts';
import { expiresAt, sessionProvider, type Session } from './session.ts';

/**
 * A temporary key from a credentials server the user runs (ALIBABA_CLOUD_CREDENTIALS_URI), as
 * aliyun/credentials-nodejs src/providers/uri.ts (f61774c7) reads it: `GET <uri>`, HTTP 200 with
 * JSON `AccessKeyId`, `AccessKeySecret`, `SecurityToken` (all required) and `Expiration`; anything
 * else is refused. The address is the user's own choice, so dialling it is never an accident; the
 * key is kept as every session is (session.ts: until 15 minutes before it expires).
 */
// The library's connect and read timeouts: 5 s and 10 s.
const TIMEOUT_MS = 15_000;

export function credentialsUriProvider(uri: string, clock: Clock = systemClock): CredentialProvider {
  const fetchSession = async (): Promise<Session> => {
    // No redirects: only the address the user named is dialled (the library's httpx, on node:http, follows none either).
    const res = await fetch(uri, { redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS) }).catch((e: Error) => {
      throw credentialsError('Credentials.UriUnreachable', `${uri} could not be read: ${e.message}`);
    });
    const text = await res.text();
    if (res.status !== 200) throw credentialsError('Credentials.UriRefused', `${uri} answered HTTP ${res.status}: ${text.slice(0, 200)}`);
    let answer: { AccessKeyId?: string; AccessKeySecret?: string; SecurityToken?: string; Expiration?: string };
    try {
      answer = JSON.parse(text) as typeof answer;
    } catch {
      throw credentialsError('Credentials.UriRefused', `${uri} answered something other than JSON`);
    }
    if (!answer?.AccessKeyId || !answer.AccessKeySecret || !answer.SecurityToken)
      throw credentialsError('Credentials.UriRefused', `${uri} gave no AccessKeyId, AccessKeySecret and SecurityToken`);
    return {
      key: { accessKeyId: answer.AccessKeyId, accessKeySecret: answer.AccessKeySecret, securityToken: answer.SecurityToken },
      expiresAt: expiresAt(answer.Expiration ?? ''),
    };
  };
  return sessionProvider('credentials URI (ALIBABA_CLOUD_CREDENTIALS_URI)', fetchSession, clock);
}
