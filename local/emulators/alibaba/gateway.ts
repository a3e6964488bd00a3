import type { IncomingMessage, ServerResponse } from 'node:http';
import { actionDef } from '../../../shared/aliyun/catalog.ts';
import { productByVersion, type Product } from '../../../shared/aliyun/products.ts';
import { decodeParams } from '../../../shared/aliyun/wire-params.ts';
import { stableJson } from '../../../shared/derived.ts';
import type { CallLog } from '../call-log.ts';
import type { FaultBook } from '../faults.ts';
import type { World } from '../world.ts';
import { ApiError, gatewayErrors } from '../../rpc/error.ts';
import { descriptionViolations } from './description-limits.ts';
import { metadataViolations } from './metadata-rules.ts';
import { ecsHandlers } from './ecs/handlers.ts';
import { eventBridgeHandlers } from './eventbridge/handlers.ts';
import type { Handler } from './handler.ts';
import { privateLinkHandlers } from './privatelink/handlers.ts';
import { privateZoneHandlers } from './pvtz/handlers.ts';
import { getRole } from './ram/get-role.ts';
import { refuseDenied } from './ram-denial.ts';
import { stsHandlers } from './sts/handlers.ts';
import { readBody, sendJson, verifiedRpcRequest } from '../../rpc/request.ts';
import { NonceBook } from '../../rpc/signature.ts';
import { vpcHandlers } from './vpc/handlers.ts';

/** Every emulated action, per product. The FnF product is served by the local engine, not here. */
export const HANDLERS: Partial<Record<Product, Record<string, Handler>>> = {
  Privatelink: privateLinkHandlers,
  pvtz: privateZoneHandlers,
  Ecs: ecsHandlers,
  Vpc: vpcHandlers,
  eventbridge: eventBridgeHandlers,
  Sts: stsHandlers,
  Ram: { GetRole: getRole },
};

const MAX_BODY = 1 << 20;
/**
 * The Alibaba RPC gateway of the emulator: signature (V3 or V1) → product and action from the
 * version → parameters against the action catalog → faults → ClientToken idempotency → handler.
 * Errors always carry `Code` (pop-core only notices errors through it).
 */
export class AlibabaGateway {
  private readonly nonces = new NonceBook();
  /** `${accountId}|${product}.${action}|${token}` → the request digest and the answer given. */
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
    const answered = this.log.begin('alibaba');
    try {
      const body = await readBody(req, MAX_BODY, () => new ApiError('RequestTooLarge', 'The request body is too large.', 413));
      const rpc = verifiedRpcRequest(req, body, (id) => this.world.accessKeys.get(id)?.secret, this.nonces);
      caller = rpc.verified.accessKeyId;
      const key = this.world.accessKeys.get(rpc.verified.accessKeyId)!;
      const accountId = key.accountId;
      const version = rpc.version;
      action = rpc.action || '?';
      // Product from the version, not the host: one loopback host serves every product, and no two products share a version.
      const p = version ? productByVersion(version) : undefined;
      if (!p) throw gatewayErrors.unknownVersion();
      product = p;
      const def = actionDef(p, action);
      const handler = HANDLERS[p]?.[action];
      if (!def || !handler) throw gatewayErrors.unknownAction();

      const decoded = decodeParams(def.params, rpc.params);
      values = decoded.values;
      const problem = decoded.problems[0];
      if (problem)
        throw problem.kind === 'missing' ? gatewayErrors.missingParameter(problem.name) : gatewayErrors.invalidParameter(problem.detail);
      // What the metadata states as data, then the limits it states only in prose.
      const broken = metadataViolations(p, action, values)[0] ?? descriptionViolations(p, action, values)[0];
      if (broken) throw gatewayErrors.constraintViolated(broken.param, broken.rule);
      refuseDenied(key.deny, accountId, p, action);

      const { error: injected, lostReply } = await this.faults.apply({ product: p, action }, this.world.clock, values);
      if (injected) {
        fault = injected.code ?? 'ServiceUnavailable';
        throw new ApiError(fault, injected.message ?? 'Injected fault.', injected.httpStatus ?? (/Throttling/.test(fault) ? 400 : 503));
      }

      this.world.settle();
      const answer = this.idempotent(accountId, `${p}.${action}`, def.write, values, () =>
        handler({ world: this.world, accountId, accessKeyId: rpc.verified.accessKeyId }, values!),
      );
      if (lostReply) {
        // The change is applied; the caller never hears back.
        fault = 'lostReply';
        this.record(product, action, true, 200, caller, values, fault);
        req.socket.destroy();
        return;
      }
      this.record(product, action, true, 200, caller, values, fault);
      sendJson(res, 200, { RequestId: requestId, ...answer });
    } catch (e) {
      const error =
        e instanceof ApiError ? e : new ApiError('InternalError', 'The request processing has failed due to some unknown error.', 500);
      if (!(e instanceof ApiError)) console.error('emulator bug:', e);
      this.record(product, action, false, error.httpStatus, caller, values, fault, error.code);
      sendJson(res, error.httpStatus, {
        RequestId: requestId,
        HostId: req.headers.host ?? 'emulator',
        Code: error.code,
        Message: error.message,
        Recommend: '',
      });
    } finally {
      answered();
    }
  }

  /** Same token + same parameters → the first answer again; same token + other parameters → mismatch. */
  private idempotent(
    accountId: string,
    action: string,
    write: boolean,
    values: Record<string, unknown>,
    run: () => Record<string, unknown>,
  ) {
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

  private record(
    product: string,
    action: string,
    ok: boolean,
    httpStatus: number,
    caller?: string,
    params?: Record<string, unknown>,
    fault?: string,
    code?: string,
  ) {
    this.log.record({ time: this.world.now(), service: 'alibaba', product, action, ok, httpStatus, caller, params, fault, code });
  }
}
