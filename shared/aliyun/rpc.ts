import * as openapi from '@alicloud/openapi-client';
import * as teaUtil from '@alicloud/tea-util';
import * as credentials from '@alicloud/credentials';
import { systemClock, type Clock } from '../clock.ts';
import { cjsClass } from '../interop.ts';
import { silentLogger, type Logger } from '../log.ts';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from '../retry.ts';
import { CATALOG, type ActionDef, type ActionName, type ActionResponse } from './catalog.ts';
import { AliyunError, isRetryableCode } from './errors.ts';
import { PRODUCTS, type Product } from './products.ts';
import { flattenParams, type StructuredParams } from './wire-params.ts';

const OpenApiClient = cjsClass<typeof openapi.default.default>(openapi.default);
const CredentialClient = cjsClass<typeof credentials.default.default>(credentials.default);

export interface AccessKey {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

export interface AliyunTransportOptions {
  /**
   * Explicit keys (FC's `context.credentials`, or test keys for the emulator);
   * when absent, the `@alicloud/credentials` default chain (env vars first).
   */
  credentials?: AccessKey;
  /** One base URL for every product (the local emulator), e.g. `http://127.0.0.1:8100`. */
  endpoint?: string;
  /** Per-product base URLs; win over `endpoint`. */
  endpoints?: Partial<Record<Product, string>>;
  retry?: RetryPolicy;
  clock?: Clock;
  log?: Logger;
  /** Per-attempt timeouts in ms. */
  connectTimeoutMs?: number;
  readTimeoutMs?: number;
  /** Observes every attempt (benchmarks count calls with it). */
  onAttempt?: (event: { action: string; attempt: number; ok: boolean; code?: string }) => void;
}

type OpenApiClientInstance = InstanceType<typeof OpenApiClient>;

/**
 * The one RPC transport for every Alibaba product: V3 (`ACS3-HMAC-SHA256`) signed calls through
 * `@alicloud/openapi-client`, the project's own back-off (the client retries nothing), typed and
 * zod-validated responses from the action catalog, and errors that never carry secrets.
 */
export class AliyunTransport {
  private readonly clients = new Map<string, OpenApiClientInstance>();
  private readonly retry: RetryPolicy;
  private readonly clock: Clock;
  private readonly log: Logger;

  constructor(private readonly opts: AliyunTransportOptions = {}) {
    this.retry = opts.retry ?? DEFAULT_RETRY;
    this.clock = opts.clock ?? systemClock;
    this.log = opts.log ?? silentLogger;
  }

  async call<A extends ActionName>(action: A, region: string, params: StructuredParams): Promise<ActionResponse<A>> {
    const def: ActionDef = CATALOG[action];
    const product = def.product;
    const { query, body } = splitParams(def, params);
    return withRetry(
      async (attempt) => {
        const started = this.clock.now();
        try {
          const answer = await this.send(def, action, region, query, body);
          const parsed = def.response.safeParse(answer);
          if (!parsed.success) {
            throw new AliyunError({
              product,
              action,
              code: 'UnexpectedResponse',
              message: `response does not match the expected shape: ${parsed.error.issues
                .slice(0, 3)
                .map((i) => `${i.path.join('.')}: ${i.message}`)
                .join('; ')}`,
              requestId: typeof answer.RequestId === 'string' ? answer.RequestId : undefined,
              retryable: false,
            });
          }
          this.opts.onAttempt?.({ action, attempt, ok: true });
          this.log.info('aliyun.call', { product, action, attempt, requestId: answer.RequestId, ms: this.clock.now() - started });
          return parsed.data as ActionResponse<A>;
        } catch (raw) {
          const error = raw instanceof AliyunError ? raw : toAliyunError(product, action, raw);
          this.opts.onAttempt?.({ action, attempt, ok: false, code: error.code });
          this.log.warn('aliyun.error', { ...error.toJSON(), attempt, ms: this.clock.now() - started });
          throw error;
        }
      },
      { policy: this.retry, clock: this.clock, retryable: (e) => e instanceof AliyunError && e.retryable },
    );
  }

  private async send(
    def: ActionDef,
    action: string,
    region: string,
    query: Record<string, string>,
    body: Record<string, string> | undefined,
  ): Promise<Record<string, unknown>> {
    const product = def.product;
    const client = this.client(product, region);
    const params = new openapi.Params({
      action,
      version: PRODUCTS[product].version,
      protocol: 'HTTPS',
      pathname: '/',
      method: def.method ?? 'POST',
      authType: 'AK',
      style: 'RPC',
      reqBodyType: 'formData',
      bodyType: 'json',
    });
    const runtime = new teaUtil.RuntimeOptions({
      autoretry: false,
      connectTimeout: this.opts.connectTimeoutMs ?? 5_000,
      readTimeout: this.opts.readTimeoutMs ?? 15_000,
    });
    const response = (await client.callApi(params, new openapi.OpenApiRequest({ query, body }), runtime)) as { body?: unknown };
    if (!response.body || typeof response.body !== 'object') {
      throw new AliyunError({ product, action, code: 'UnexpectedResponse', message: 'response body is not a JSON object', retryable: false });
    }
    return response.body as Record<string, unknown>;
  }

  private client(product: Product, region: string): OpenApiClientInstance {
    const base = this.opts.endpoints?.[product] ?? this.opts.endpoint;
    const url = base ? new URL(base) : new URL(`https://${PRODUCTS[product].endpoint(region)}`);
    const key = url.origin;
    let client = this.clients.get(key);
    if (!client) {
      const keys = this.opts.credentials;
      client = new OpenApiClient(
        new openapi.Config({
          endpoint: url.host,
          protocol: url.protocol === 'http:' ? 'HTTP' : 'HTTPS',
          regionId: region,
          ...(keys
            ? { accessKeyId: keys.accessKeyId, accessKeySecret: keys.accessKeySecret, securityToken: keys.securityToken }
            : { credential: new CredentialClient() }),
        }),
      );
      this.clients.set(key, client);
    }
    return client;
  }
}

/** Puts each parameter where the API takes it: the query, or the form body (`formData`). */
function splitParams(def: ActionDef, params: StructuredParams): { query: Record<string, string>; body?: Record<string, string> } {
  const inBody = new Set(def.params.filter((p) => p.in === 'body').map((p) => p.name));
  if (inBody.size === 0) return { query: flattenParams(params) };
  const queryPart: StructuredParams = {};
  const bodyPart: StructuredParams = {};
  for (const [k, v] of Object.entries(params)) (inBody.has(k) ? bodyPart : queryPart)[k] = v;
  return { query: flattenParams(queryPart), body: flattenParams(bodyPart) };
}

/** Maps whatever the SDK threw to an AliyunError, keeping only safe fields. */
function toAliyunError(product: string, action: string, raw: unknown): AliyunError {
  const e = raw as { code?: unknown; message?: unknown; data?: Record<string, unknown>; name?: unknown };
  const data = e?.data;
  const httpStatus = typeof data?.statusCode === 'number' ? data.statusCode : undefined;
  if (httpStatus !== undefined) {
    const code = String(data?.Code ?? data?.code ?? e.code ?? 'Unknown');
    const message = String(data?.Message ?? data?.message ?? '');
    const requestId = data?.RequestId ?? data?.requestId;
    return new AliyunError({
      product,
      action,
      code,
      message,
      requestId: typeof requestId === 'string' ? requestId : undefined,
      httpStatus,
      retryable: isRetryableCode(code, httpStatus),
    });
  }
  // A bug on our side (bad argument, missing method) is not a network problem: never retry it.
  if (raw instanceof TypeError || raw instanceof ReferenceError || raw instanceof RangeError) {
    return new AliyunError({ product, action, code: 'ClientError', message: String(raw.message).slice(0, 300), retryable: false });
  }
  // No HTTP status: the request never got a well-formed answer (refused, reset, timed out,
  // or a non-JSON body). All are worth another attempt.
  const name = String(e?.name ?? '');
  const code = /timeout/i.test(name) || /timeout/i.test(String(e?.message)) ? 'Timeout' : 'NetworkError';
  return new AliyunError({
    product,
    action,
    code,
    message: String(e?.message ?? raw).slice(0, 300),
    retryable: true,
  });
}
