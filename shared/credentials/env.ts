import { credentialsError, type AccessKey, type CredentialProvider } from './provider.ts';

/**
 * The key in `ALIBABA_CLOUD_ACCESS_KEY_ID` / `_SECRET` (and `ALIBABA_CLOUD_SECURITY_TOKEN` for a
 * temporary one), the first source of the default chain (aliyun/credentials-nodejs
 * src/providers/env.ts at f61774c7: both required, the token optional). Function Compute 3.0 sets
 * the same three variables to the function role's temporary key ("ALIBABA_CLOUD_ACCESS_KEY_ID,
 * ALIBABA_CLOUD_ACCESS_KEY_SECRET, and ALIBABA_CLOUD_SECURITY_TOKEN: The temporary credentials
 * obtained from the function's execution role", https://www.alibabacloud.com/help/en/functioncompute/fc/environment-variables).
 * Undefined when the variables are not both set.
 */
export function keyFromEnvironment(env: NodeJS.ProcessEnv): AccessKey | undefined {
  const accessKeyId = env.ALIBABA_CLOUD_ACCESS_KEY_ID;
  const accessKeySecret = env.ALIBABA_CLOUD_ACCESS_KEY_SECRET;
  if (!accessKeyId || !accessKeySecret) return undefined;
  return { accessKeyId, accessKeySecret, securityToken: env.ALIBABA_CLOUD_SECURITY_TOKEN || undefined };
}

export function environmentProvider(env: NodeJS.ProcessEnv): CredentialProvider {
  return {
    name: 'environment',
    getCredentials: async () =>
      keyFromEnvironment(env) ??
      Promise.reject(credentialsError('NoCredentials', 'ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET are not both set')),
  };
}
