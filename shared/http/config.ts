import { AliyunTransport } from '../aliyun/rpc.ts';
import { CloudFlowApi } from '../aliyun/cloudflow.ts';
import type { FcContext } from '../fc-context.ts';
import { systemClock } from '../clock.ts';
import { invocationBudget } from '../steps/invocation-budget.ts';
import type { AuthConfig } from './auth.ts';

/**
 * The API's and the event function's configuration, from the environment (fed from KMS /
 * Secrets Manager in production, never written in s.yaml): `ZPL_API_HMAC_SECRET`,
 * `ZPL_API_TOKEN`, `ZPL_FNF_ENDPOINT` (the local engine; default the region's CloudFlow),
 * `ZPL_CALLBACK_HOSTS` (hosts callbacks may go to), `ZPL_CALLBACK_SECRET` (signs callbacks).
 */
export const authFromEnv = (env: NodeJS.ProcessEnv = process.env): AuthConfig => ({
  hmacSecret: env.ZPL_API_HMAC_SECRET || undefined,
  bearerToken: env.ZPL_API_TOKEN || undefined,
});

export function cloudFlowFromContext(context: FcContext, env: NodeJS.ProcessEnv = process.env): CloudFlowApi {
  const { accessKeyId, accessKeySecret, securityToken } = context.credentials;
  // FnF throttles with ResourceThrottled (429): retry it until shortly before FC ends this invocation.
  const retryBudget = invocationBudget(systemClock, context.function.timeout);
  return new CloudFlowApi(
    new AliyunTransport({
      credentials: { accessKeyId, accessKeySecret, securityToken },
      endpoint: env.ZPL_FNF_ENDPOINT || undefined,
      retryBudget,
    }),
    context.region,
  );
}

export const callbackHosts = (env: NodeJS.ProcessEnv = process.env): string[] =>
  (env.ZPL_CALLBACK_HOSTS ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
