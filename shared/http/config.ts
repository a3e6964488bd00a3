import { AliyunTransport } from '../aliyun/rpc.ts';
import { CloudFlowApi } from '../aliyun/cloudflow.ts';
import type { FcContext } from '../fc-context.ts';
import { systemClock } from '../clock.ts';
import { invocationBudget } from '../steps/invocation-budget.ts';
import type { AuthConfig } from './auth.ts';
import { functionConfig } from '../function-config.ts';
import { readSecret } from '../secrets.ts';

/**
 * The API's and the event function's configuration, read by shared/function-config.ts (secrets
 * read from KMS Secrets Manager at run time, shared/secrets.ts; never written in s.yaml).
 */
/** The API's credentials in FC: from KMS Secrets Manager by name, else from the variables (shared/secrets.ts). */
export async function authFromFunction(context: FcContext, env: NodeJS.ProcessEnv = process.env): Promise<AuthConfig> {
  const source = { env, credentials: context.credentials, region: context.region, endpoint: functionConfig(env).alibabaEndpoint };
  const [hmacSecret, bearerToken] = await Promise.all([readSecret('ZPL_API_HMAC_SECRET', source), readSecret('ZPL_API_TOKEN', source)]);
  return { hmacSecret, bearerToken };
}

export function cloudFlowFromContext(context: FcContext, env: NodeJS.ProcessEnv = process.env): CloudFlowApi {
  const { accessKeyId, accessKeySecret, securityToken } = context.credentials;
  // FnF throttles with ResourceThrottled (429): retry it until shortly before FC ends this invocation.
  const retryBudget = invocationBudget(systemClock, context.function.timeout);
  return new CloudFlowApi(
    new AliyunTransport({
      credentials: { accessKeyId, accessKeySecret, securityToken },
      endpoint: functionConfig(env).fnfEndpoint,
      retryBudget,
    }),
    context.region,
  );
}
