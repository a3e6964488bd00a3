import * as z from '../zod.ts';
import { onFirstUse } from '../first-use.ts';
import { currentSignal } from '../abort-scope.ts';
import { systemClock, type Clock } from '../clock.ts';
import { silentLogger, type Logger } from '../log.ts';
import { allByPage } from '../paging.ts';
import { RateLimiter } from '../rate-limit.ts';
import { DEFAULT_RETRY, withRetry, type RetryBudget, type RetryPolicy } from '../retry.ts';
import { ZILLIZ_CN_SITE } from '../regions.ts';
import { isAllowlistRepeat, ZillizError } from './errors.ts';

/** The China site serves every `ali-*` region; the per-region choice and its reason: `zillizApiBase` (shared/regions.ts). */
export const ZILLIZ_CN_BASE_URL = ZILLIZ_CN_SITE;

export interface ZillizClientOptions {
  apiKey: string;
  /** Origin without `/v2`, e.g. `https://api.cloud.zilliz.com.cn` or the local emulator's. */
  baseUrl?: string;
  clock?: Clock;
  retry?: RetryPolicy;
  /** Retry until this deadline instead of a fixed count (a step's invocation budget). */
  retryBudget?: RetryBudget;
  log?: Logger;
  /** Client-side cap under Zilliz's 20 requests/s per user per endpoint. */
  requestsPerSecond?: number;
  timeoutMs?: number;
  onAttempt?: (event: { operation: string; attempt: number; ok: boolean; code?: number | string }) => void;
}

const endpointService = /* @__PURE__ */ onFirstUse(() =>
  z.object({
    regionId: z.string(),
    cloudId: z.string(),
    endpointService: z.string(),
    whitelistRequired: z.optional(z.boolean()),
  }),
);

// Zilliz documents no status values and the fields may be null while a registration is pending
// (the Terraform provider's Endpoint struct reads them as plain strings; its mock carries
// `gcpProjectId: nil`): every field beyond the IDs is nullable.
const privateEndpoint = /* @__PURE__ */ onFirstUse(() =>
  z.object({
    regionId: z.string(),
    endpointId: z.string(),
    endpointStatus: z.nullish(z.string()),
    endpointService: z.nullish(z.string()),
    endpointServiceStatus: z.nullish(z.string()),
    cloudId: z.nullish(z.string()),
  }),
);

// Describe cluster v2 (zdoc_cn describe-cluster-v2 / list-clusters-v2; the Terraform provider's
// Cluster struct): `plan` is Free | Serverless | Standard | Enterprise | BusinessCritical, and
// `privateLinkAddress` is "" until a private link exists.
const cluster = /* @__PURE__ */ onFirstUse(() =>
  z.object({
    clusterId: z.string(),
    clusterName: z.nullish(z.string()),
    projectId: z.string(),
    regionId: z.string(),
    status: z.string(),
    plan: z.nullish(z.string()),
    clusterType: z.nullish(z.string()),
    cuType: z.nullish(z.string()),
    connectAddress: z.nullish(z.string()),
    privateLinkAddress: z.nullish(z.string()),
  }),
);

export type ZillizEndpointService = z.infer<ReturnType<typeof endpointService>>;
export type ZillizPrivateEndpoint = z.infer<ReturnType<typeof privateEndpoint>>;
export type ZillizCluster = z.infer<ReturnType<typeof cluster>>;

/** Zilliz Cloud control plane (REST v2): bearer auth, `{code, data}` envelope, paging, rate cap. */
export class ZillizClient {
  private readonly baseUrl: string;
  private readonly clock: Clock;
  private readonly limiter: RateLimiter;
  private readonly log: Logger;

  constructor(private readonly opts: ZillizClientOptions) {
    if (!opts.apiKey) throw new Error('a Zilliz API key is required');
    this.baseUrl = (opts.baseUrl ?? ZILLIZ_CN_BASE_URL).replace(/\/+$/, '');
    this.clock = opts.clock ?? systemClock;
    this.log = opts.log ?? silentLogger;
    this.limiter = new RateLimiter(opts.requestsPerSecond ?? 18, 1000, this.clock);
  }

  async endpointServices(regionId: string): Promise<ZillizEndpointService[]> {
    const data = await this.request('endpointServices', 'GET', `/v2/privateEndpointServices?${new URLSearchParams({ regionId })}`);
    return z.object({ endpointServices: z.array(endpointService()) }).parse(data).endpointServices;
  }

  /**
   * Lets the Alibaba main account see Zilliz's endpoint service in the region. Add-only on
   * Zilliz's side (the Terraform provider: "only supports adding whitelist entries; there is no
   * list or delete API"); how a repeat is answered is undocumented, so an answer recognised as
   * a repeat (`isAllowlistRepeat`) counts as success. The Allowlist step avoids repeats anyway.
   */
  async allowlistAccount(projectId: string, regionId: string, accountId: string): Promise<void> {
    try {
      await this.request('allowlistAccount', 'POST', `/v2/projects/${encodeURIComponent(projectId)}/privateEndpointWhitelist`, {
        regionId,
        outerUserId: accountId,
      });
    } catch (e) {
      if (isAllowlistRepeat(e)) return;
      throw e;
    }
  }

  async registerEndpoint(projectId: string, regionId: string, endpointId: string): Promise<ZillizPrivateEndpoint> {
    const data = await this.request('registerEndpoint', 'POST', `/v2/projects/${encodeURIComponent(projectId)}/privateEndpoints`, {
      regionId,
      endpointId,
    });
    return privateEndpoint().parse(data);
  }

  /** Every registered endpoint of the project (there is no "get one": list and filter). */
  async listEndpoints(projectId: string): Promise<ZillizPrivateEndpoint[]> {
    const page = z.object({ count: z.number(), currentPage: z.number(), pageSize: z.number(), endpoints: z.array(privateEndpoint()) });
    return allByPage(async (currentPage) => {
      const query = new URLSearchParams({ currentPage: String(currentPage), pageSize: '100' });
      const data = page.parse(
        await this.request('listEndpoints', 'GET', `/v2/projects/${encodeURIComponent(projectId)}/privateEndpoints?${query}`),
      );
      return { items: data.endpoints, total: data.count };
    });
  }

  async deleteEndpoint(projectId: string, regionId: string, endpointId: string): Promise<void> {
    await this.request(
      'deleteEndpoint',
      'DELETE',
      `/v2/projects/${encodeURIComponent(projectId)}/privateEndpoints/${encodeURIComponent(endpointId)}?${new URLSearchParams({ regionId })}`,
    );
  }

  async describeCluster(clusterId: string): Promise<ZillizCluster> {
    return cluster().parse(await this.request('describeCluster', 'GET', `/v2/clusters/${encodeURIComponent(clusterId)}`));
  }

  private request(operation: string, method: string, path: string, body?: unknown): Promise<unknown> {
    // A call of a fan-out (pool.ts) stops when the fan-out does: out of the rate limiter's queue, off the wire, no more attempts.
    const signal = currentSignal();
    return withRetry(
      async (attempt) => {
        await this.limiter.acquire(signal);
        try {
          const data = await this.once(operation, method, path, body, signal);
          this.opts.onAttempt?.({ operation, attempt, ok: true });
          return data;
        } catch (e) {
          signal?.throwIfAborted();
          const error =
            e instanceof ZillizError
              ? e
              : new ZillizError({
                  operation,
                  code: 'NetworkError',
                  message: String((e as Error)?.message ?? e).slice(0, 300),
                  retryable: true,
                });
          this.opts.onAttempt?.({ operation, attempt, ok: false, code: error.code });
          this.log.warn('zilliz.error', { ...error.toJSON(), attempt });
          throw error;
        }
      },
      {
        policy: this.opts.retry ?? DEFAULT_RETRY,
        clock: this.clock,
        deadline: this.opts.retryBudget?.deadline(),
        retryable: (e) => e instanceof ZillizError && e.retryable,
        signal,
      },
    );
  }

  private async once(operation: string, method: string, path: string, body: unknown, signal: AbortSignal | undefined): Promise<unknown> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.opts.apiKey}`,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: signal
        ? AbortSignal.any([AbortSignal.timeout(this.opts.timeoutMs ?? 15_000), signal])
        : AbortSignal.timeout(this.opts.timeoutMs ?? 15_000),
    });
    const requestId = response.headers.get('requestid') ?? undefined;
    const text = await response.text();
    let envelope: { code?: unknown; message?: unknown; data?: unknown };
    try {
      envelope = JSON.parse(text);
    } catch {
      throw new ZillizError({
        operation,
        code: `HTTP${response.status}`,
        message: `non-JSON reply (HTTP ${response.status})`,
        httpStatus: response.status,
        requestId,
        retryable: response.status >= 500 || response.status === 429,
      });
    }
    // Success is code 0 (older endpoints: 200); an HTTP 200 with another code is still an error.
    if (envelope.code === 0 || envelope.code === 200) {
      this.log.info('zilliz.call', { operation, requestId });
      return envelope.data;
    }
    const code = typeof envelope.code === 'number' ? envelope.code : `HTTP${response.status}`;
    throw new ZillizError({
      operation,
      code,
      message: String(envelope.message ?? `HTTP ${response.status}`),
      httpStatus: response.status,
      requestId,
      retryable: response.status >= 500 || response.status === 429,
    });
  }
}
