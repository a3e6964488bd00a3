import { AliyunTransport } from '../aliyun/rpc.ts';
import { CloudFlowApi } from '../aliyun/cloudflow.ts';
import type { FcContext } from '../fc-context.ts';
import { systemClock } from '../clock.ts';
import { invocationBudget } from '../steps/invocation-budget.ts';
import type { AuthConfig } from './auth.ts';
import { functionConfig } from '../function-config.ts';

/**
 * The API's and the event function's configuration, read by shared/function-config.ts (secrets
 * fed from KMS / Secrets Manager in production, never written in s.yaml).
 */
export const authFromEnv = (env: NodeJS.ProcessEnv = process.env): AuthConfig => {
  const config = functionConfig(env);
  return { hmacSecret: config.apiHmacSecret, bearerToken: config.apiToken };
};

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
