import type { Clock } from '../clock.ts';
import type { AccessKey, CredentialProvider } from './provider.ts';

/** A temporary key and when it stops working (epoch ms). */
export interface Session {
  key: AccessKey;
  expiresAt: number;
}

/**
 * A temporary key is used until 15 minutes before it expires, then fetched again
 * (aliyun/credentials-nodejs src/providers/session.ts at f61774c7: `STALE_TIME = 15 * 60`); one
 * fetch at a time, shared by every caller that asks meanwhile. A failed fetch is not kept.
 */
export const STALE_MS = 15 * 60_000;

export function sessionProvider(
  name: string,
  fetchSession: () => Promise<Session>,
  clock: Clock,
  /** How long before it expires a key is fetched again (an External command's answer: 180 s). */
  staleMs = STALE_MS,
): CredentialProvider {
  let current: Session | undefined;
  let fetching: Promise<Session> | undefined;
  return {
    name,
    async getCredentials() {
      if (current && clock.now() < current.expiresAt - staleMs) return current.key;
      fetching ??= fetchSession().finally(() => {
        fetching = undefined;
      });
      current = await fetching;
      return current.key;
    },
  };
}

/** STS's `Expiration` ("2015-04-09T11:52:19Z") as epoch ms; an unreadable one counts as expired. */
export const expiresAt = (expiration: string): number => {
  const t = Date.parse(expiration);
  return Number.isNaN(t) ? 0 : t;
};
