import type { IncomingMessage, ServerResponse } from 'node:http';
import { actionDef } from '../../../shared/aliyun/catalog.ts';
import { productByVersion, type Product } from '../../../shared/aliyun/products.ts';
import { decodeParams } from '../../../shared/aliyun/wire-params.ts';
import { stableJson } from '../../../shared/derived.ts';
import type { CallLog } from '../call-log.ts';
import type { FaultBook } from '../faults.ts';
import type { World } from '../world.ts';
import { ApiError, gatewayErrors } from './api-error.ts';
import { ecsHandlers } from './ecs.ts';
import type { Handler } from './handler.ts';
import { privateLinkHandlers } from './privatelink.ts';
import { privateZoneHandlers } from './pvtz.ts';
import { NonceBook, verifySignature } from './signature.ts';
import { vpcHandlers } from './vpc.ts';

/** Every emulated action, per product. The FnF product is served by the local engine, not here. */
export const HANDLERS: Partial<Record<Product, Record<string, Handler>>> = {
  Privatelink: privateLinkHandlers,
  pvtz: privateZoneHandlers,
  Ecs: ecsHandlers,
  Vpc: vpcHandlers,
};

const MAX_BODY = 1 << 20;
const SIGNATURE_FIELDS = new Set(['Signature', 'SignatureMethod', 'SignatureVersion', 'SignatureNonce', 'SignatureType', 'AccessKeyId', 'Timestamp', 'Format', 'Action', 'Version', 'SecurityToken']);

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new ApiError('RequestTooLarge', 'The request body is too large.', 413);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * The Alibaba RPC gateway of the emulator: signature (V3 or V1) → product and action from the
 * version → parameters against the action catalog → faults → ClientToken idempotency → handler.
 * Errors always carry `Code` (pop-core only notices errors through it).
 */
export class AlibabaGateway {
  private readonly nonces = new NonceBook();
  /** `${accountId}|${action}|${token}` → the request digest and the answer given. */
  private readonly idempotency = new Map<string, { digest: string; body: Record<string, unknown> }>();

  constructor(
    private readonly world: World,
    private readonly faults: FaultBook,
    private readonly log: CallLog,
  ) {}

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = this.world.ids.requestId();
    let product = '?';
    let action = '?';
    let caller: string | undefined;
    let values: Record<string, unknown> | undefined;
    let fault: string | undefined;
    try {
      const url = new URL(req.url ?? '/', 'http://emulator');
      const body = await readBody(req);
      const contentType = String(req.headers['content-type'] ?? '');
      const query = Object.fromEntries(url.searchParams);
      const form = contentType.includes('application/x-www-form-urlencoded') ? Object.fromEntries(new URLSearchParams(body.toString('utf8'))) : {};
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(',') : String(v ?? '')]));
      const verified = verifySignature(
        { method: req.method ?? 'GET', pathname: url.pathname, query, form, headers, body },
        (id) => this.world.accessKeys.get(id)?.secret,
        this.nonces,
      );
      caller = verified.accessKeyId;
      const accountId = this.world.accessKeys.get(verified.accessKeyId)!.accountId;
      const params: Record<string, string> = { ...query, ...form };
      const version = verified.version ?? params.Version;
      action = verified.action ?? params.Action ?? '?';
      const p = version ? productByVersion(version) : undefined;
      if (!p) throw gatewayErrors.unknownVersion();
      product = p;
      const def = actionDef(action);
      const handler = HANDLERS[p]?.[action];
      if (!def || def.product !== p || !handler) throw gatewayErrors.unknownAction();

      const flat = Object.fromEntries(Object.entries(params).filter(([k]) => !SIGNATURE_FIELDS.has(k)));
      const decoded = decodeParams(def.params, flat);
      values = decoded.values;
      const problem = decoded.problems[0];
      if (problem) throw problem.kind === 'missing' ? gatewayErrors.missingParameter(problem.name) : gatewayErrors.invalidParameter(problem.detail);

      const { error: injected, lostReply } = await this.faults.apply(action, this.world.clock);
      if (injected) {
        fault = injected.code ?? 'ServiceUnavailable';
        throw new ApiError(fault, injected.message ?? 'Injected fault.', injected.httpStatus ?? (/Throttling/.test(fault) ? 400 : 503));
      }

      this.world.settle();
      const answer = this.idempotent(accountId, action, def.write, values, () => handler({ world: this.world, accountId }, values!));
      if (lostReply) {
        // The change is applied; the caller never hears back.
        fault = 'lostReply';
        this.record(product, action, true, 200, caller, values, fault);
        req.socket.destroy();
        return;
      }
      this.record(product, action, true, 200, caller, values, fault);
      send(res, 200, { RequestId: requestId, ...answer });
    } catch (e) {
      const error = e instanceof ApiError ? e : new ApiError('InternalError', 'The request processing has failed due to some unknown error.', 500);
      if (!(e instanceof ApiError)) console.error('emulator bug:', e);
      this.record(product, action, false, error.httpStatus, caller, values, fault, error.code);
      send(res, error.httpStatus, { RequestId: requestId, HostId: req.headers.host ?? 'emulator', Code: error.code, Message: error.message, Recommend: '' });
    }
  }

  /** Same token + same parameters → the first answer again; same token + other parameters → mismatch. */
  private idempotent(accountId: string, action: string, write: boolean, values: Record<string, unknown>, run: () => Record<string, unknown>) {
    const token = values.ClientToken;
    if (!write || typeof token !== 'string') return run();
    const key = `${accountId}|${action}|${token}`;
    const { ClientToken: _, ...rest } = values;
    const digest = stableJson(rest);
    const seen = this.idempotency.get(key);
    if (seen) {
      if (seen.digest !== digest) throw gatewayErrors.idempotentMismatch();
      return seen.body;
    }
    const body = run();
    this.idempotency.set(key, { digest, body });
    return body;
  }

  private record(product: string, action: string, ok: boolean, httpStatus: number, caller?: string, params?: Record<string, unknown>, fault?: string, code?: string) {
    this.log.record({ time: this.world.now(), service: 'alibaba', product, action, ok, httpStatus, caller, params, fault, code });
  }
}

function send(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json;charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
