import { currentSignal } from '../abort-scope.ts';
import { systemClock, type Clock } from '../clock.ts';
import { keyFromEnvironment } from '../credentials/env.ts';
import type { AccessKey, CredentialProvider } from '../credentials/provider.ts';
import { silentLogger, type Logger } from '../log.ts';
import { DEFAULT_RETRY, withRetry, type RetryBudget, type RetryPolicy } from '../retry.ts';
import { callTimeoutMs, timeoutSignal } from './call-timeout.ts';
import type { ActionDef, ActionName, ActionResponse } from './catalog.ts';
import { AliyunError, isRetryableCode } from './errors.ts';
import { PRODUCTS, type Product } from './products.ts';
import { encodeJsonParams, flattenParams, type StructuredParams } from './wire-params.ts';
import { acsHeaders, canonicalForm, signV3 } from './signature-v3.ts';

export type { AccessKey, CredentialProvider } from '../credentials/provider.ts';

export interface AliyunTransportOptions {
  /**
   * Explicit keys (FC's `context.credentials`, test keys for the emulator) or where to get them
   * (the default chain, a role session: shared/credentials/); when absent, the key in
   * ALIBABA_CLOUD_ACCESS_KEY_ID / _SECRET / ALIBABA_CLOUD_SECURITY_TOKEN.
   */
  credentials?: AccessKey | CredentialProvider;
  /** One base URL for every product (the local emulator), e.g. `http://127.0.0.1:8100`. */
  endpoint?: string;
  /** Per-product base URLs; win over `endpoint`. */
  endpoints?: Partial<Record<Product, string>>;
  retry?: RetryPolicy;
  /** Retry until this deadline instead of a fixed count (a step's invocation budget). */
  retryBudget?: RetryBudget;
  clock?: Clock;
  /** The clock per-call timeouts run on (default: wall time; tests pass the emulated clock). */
  timeoutClock?: Clock;
  log?: Logger;
  /** Per-attempt timeouts in ms. */
  connectTimeoutMs?: number;
  readTimeoutMs?: number;
  /**
   * The action tables this transport may call, by product (tests and tools pass the whole
   * CATALOG_BY_PRODUCT). The typed APIs add their own product's (`use`), so a function's bundle
   * carries the tables of the products it calls and no other.
   */
  catalog?: Partial<Record<Product, Record<string, ActionDef>>>;
  /** Observes every attempt (benchmarks count calls with it). */
  onAttempt?: (event: { product: Product; action: string; attempt: number; ok: boolean; code?: string }) => void;
}

/**
 * The one RPC transport for every Alibaba product: V3 (`ACS3-HMAC-SHA256`) signed calls over
 * `fetch` (signature-v3.ts; the official SDKs are held to the same wire by the conformance tests),
 * the project's own back-off, typed and zod-validated responses from the action catalog, and
 * errors that never carry secrets.
 */
export class AliyunTransport {
  private readonly retry: RetryPolicy;
  private readonly clock: Clock;
  private readonly log: Logger;

  private readonly tables: Partial<Record<Product, Record<string, ActionDef>>>;

  constructor(private readonly opts: AliyunTransportOptions = {}) {
    this.tables = { ...opts.catalog };
    this.retry = opts.retry ?? DEFAULT_RETRY;
    this.clock = opts.clock ?? systemClock;
    this.log = opts.log ?? silentLogger;
  }

  /** Lets this transport call `product`'s actions as `table` defines them (the typed APIs' constructors do). */
  use(product: Product, table: Record<string, ActionDef>): this {
    this.tables[product] ??= table;
    return this;
  }

  /** One action of one product (`call('Ecs', 'TagResources', …)`), its answer typed by the catalog. */
  async call<P extends Product, A extends ActionName<P>>(
    product: P,
    action: A,
    region: string,
    params: StructuredParams,
  ): Promise<ActionResponse<P, A>> {
    const table = this.tables[product];
    const def: ActionDef | undefined = table && Object.hasOwn(table, action) ? table[action] : undefined;
    if (!def)
      throw new Error(`no ${product} action ${action} in the catalog${table ? '' : ` (this transport was given no ${product} table)`}`);
    const { query, body } = splitParams(def, encodeJsonParams(def.params, params));
    // A call of a fan-out (pool.ts) stops when the fan-out does: no further attempt, no back-off left to sleep.
    const signal = currentSignal();
    return withRetry(
      async (attempt) => {
        const started = this.clock.now();
        try {
          const answer = await this.send(product, def, action, region, query, body, signal);
          const parsed = def.response().safeParse(answer);
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
          this.opts.onAttempt?.({ product, action, attempt, ok: true });
          this.log.info('aliyun.call', { product, action, attempt, requestId: answer.RequestId, ms: this.clock.now() - started });
          return parsed.data as ActionResponse<P, A>;
        } catch (raw) {
          signal?.throwIfAborted();
          const error = raw instanceof AliyunError ? raw : toAliyunError(product, action, raw);
          this.opts.onAttempt?.({ product, action, attempt, ok: false, code: error.code });
          this.log.warn('aliyun.error', { ...error.toJSON(), attempt, ms: this.clock.now() - started });
          throw error;
        }
      },
      {
        policy: this.retry,
        clock: this.clock,
        deadline: this.opts.retryBudget?.deadline(),
        retryable: (e) => e instanceof AliyunError && e.retryable,
        signal,
      },
    );
  }

  private async send(
    product: Product,
    def: ActionDef,
    action: string,
    region: string,
    query: Record<string, string>,
    body: Record<string, string> | undefined,
    signal: AbortSignal | undefined,
  ): Promise<Record<string, unknown>> {
    const base = this.opts.endpoints?.[product] ?? this.opts.endpoint;
    const url = base ? new URL(base) : new URL(`https://${PRODUCTS[product].endpoint(region)}`);
    const method = def.method ?? 'POST';
    const form = body && Object.keys(body).length > 0 ? canonicalForm(body) : '';
    const request = {
      method,
      host: url.host,
      action,
      version: PRODUCTS[product].version,
      query,
      body: form,
      contentType: form ? 'application/x-www-form-urlencoded' : undefined,
    };
    // An unsigned action goes with the ACS headers and no Authorization, as @alicloud/openapi-client
    // sends `authType: 'Anonymous'` (its doRequest skips the signature for it).
    const headers = def.anonymous ? acsHeaders(request) : signV3({ ...request, ...(await this.credentials()) });
    const qs = canonicalForm(query);
    const timeout = timeoutSignal(callTimeoutMs(query, this.opts), this.opts.timeoutClock);
    let res: Response;
    let text: string;
    try {
      res = await fetch(`${url.origin}/${qs ? `?${qs}` : ''}`, {
        method,
        headers,
        ...(form ? { body: form } : {}),
        signal: signal ? AbortSignal.any([timeout.signal, signal]) : timeout.signal,
      });
      text = await res.text();
    } finally {
      timeout.done();
    }
    let answer: Record<string, unknown> | undefined;
    try {
      const parsed = JSON.parse(text) as unknown;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) answer = parsed as Record<string, unknown>;
    } catch {
      answer = undefined;
    }
    if (res.status >= 400 || (answer && typeof answer.Code === 'string' && !res.ok)) {
      const code = String(answer?.Code ?? answer?.code ?? `HTTP${res.status}`);
      return Promise.reject(
        new AliyunError({
          product,
          action,
          code,
          message: String(answer?.Message ?? answer?.message ?? text.slice(0, 200)),
          requestId: typeof answer?.RequestId === 'string' ? answer.RequestId : undefined,
          httpStatus: res.status,
          retryable: isRetryableCode(code, res.status),
        }),
      );
    }
    if (!answer) {
      // A 2xx that is not JSON: a proxy or a truncated reply. Worth another attempt.
      throw new AliyunError({
        product,
        action,
        code: 'NetworkError',
        message: 'the reply is not JSON',
        httpStatus: res.status,
        retryable: true,
      });
    }
    return answer;
  }

  /**
   * The key calls are signed with: explicit keys or their provider, else the key in the
   * environment. A role session is taken at the first ask (`zpl doctor` asks before its checks).
   */
  async credentials(): Promise<AccessKey> {
    const given = this.opts.credentials;
    if (given) return 'getCredentials' in given ? given.getCredentials() : given;
    return (
      keyFromEnvironment(process.env) ??
      Promise.reject(
        new AliyunError({
          product: 'credentials',
          action: 'resolve',
          code: 'NoCredentials',
          message: 'no credentials: pass them explicitly or set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET',
          retryable: false,
        }),
      )
    );
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

/** Maps a thrown error (network, timeout, a bug) to an AliyunError, keeping only safe fields. */
function toAliyunError(product: string, action: string, raw: unknown): AliyunError {
  const e = raw as { message?: unknown; name?: unknown; cause?: { code?: unknown } };
  // A bug on our side (bad argument, missing method) is not a network problem: never retry it.
  if (
    raw instanceof ReferenceError ||
    raw instanceof RangeError ||
    (raw instanceof TypeError && !/fetch failed/i.test(String(e.message)))
  ) {
    return new AliyunError({ product, action, code: 'ClientError', message: String(e.message).slice(0, 300), retryable: false });
  }
  // No well-formed answer (refused, reset, timed out): worth another attempt.
  const code = /timeout/i.test(String(e?.name)) || /timeout/i.test(String(e?.message)) ? 'Timeout' : 'NetworkError';
  return new AliyunError({ product, action, code, message: String(e?.cause?.code ?? e?.message ?? raw).slice(0, 300), retryable: true });
}
