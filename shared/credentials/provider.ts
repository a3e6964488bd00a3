import { AliyunError } from '../aliyun/errors.ts';

/** An Alibaba Cloud key pair, with the SecurityToken a temporary (STS) key comes with. */
export interface AccessKey {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

/**
 * Where a key comes from (the environment, a profile, a role session…). A provider of temporary
 * keys caches them and refreshes them before they expire, so every call may ask again.
 */
export interface CredentialProvider {
  /** Says where the key came from, in errors and `zpl` output (never the key itself). */
  readonly name: string;
  getCredentials(): Promise<AccessKey>;
}

/** A fixed key (explicit keys, a profile's AK, FC's context credentials). */
export const staticProvider = (key: AccessKey, name = 'static'): CredentialProvider => ({
  name,
  getCredentials: async () => key,
});

export const isProvider = (c: AccessKey | CredentialProvider): c is CredentialProvider =>
  typeof (c as CredentialProvider).getCredentials === 'function';

/** A source that cannot give a key: a missing or broken configuration. Never retried. */
export const credentialsError = (code: string, message: string): AliyunError =>
  new AliyunError({ product: 'credentials', action: 'resolve', code, message, retryable: false });
