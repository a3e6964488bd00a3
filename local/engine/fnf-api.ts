import { CallLog } from '../emulators/call-log.ts';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { actionDef } from '../../shared/aliyun/catalog.ts';
import { PRODUCTS } from '../../shared/aliyun/products.ts';
import { decodeParams } from '../../shared/aliyun/wire-params.ts';
import { ApiError } from '../rpc/error.ts';
import { readBody, sendJson, verifiedRpcRequest } from '../rpc/request.ts';
import { NonceBook } from '../rpc/signature.ts';
import { claimServer, serveWith } from '../time/activity.ts';
import { EmulatedClock } from '../time/emulated-clock.ts';
import type { FaultBook } from '../emulators/faults.ts';
import { FnfError, fnfErrors, type Engine } from './engine.ts';
import type { ExecutionRecord, FlowEvent, FlowRecord } from './store.ts';

/**
 * The FnF 2019-03-15 RPC API over the local engine, on loopback: signatures verified (V1 as
 * the official pop-core SDK signs, V3 as the project's transport signs), parameters checked
 * against the action catalog, FnF's own error codes, `Code` on every error.
 */

const MAX_BODY = 256 * 1024;

// The POP gateway's signature errors, as FnF documents them.
const SIGNATURE_CODES: Record<string, [string, number]> = {
  'InvalidAccessKeyId.NotFound': ['InvalidAccessKeyID', 403],
  SignatureDoesNotMatch: ['SignatureNotMatch', 403],
  'InvalidTimeStamp.Expired': ['RequestTimeTooSkewed', 403],
};

const execution = (e: ExecutionRecord) => ({
  Name: e.name,
  FlowName: e.flowName,
  Status: e.status,
  Input: e.input,
  ...(e.output !== undefined ? { Output: e.output } : {}),
  StartedTime: e.startedTime,
  ...(e.stoppedTime ? { StoppedTime: e.stoppedTime } : {}),
  FlowDefinition: e.definition,
});

const flow = (f: FlowRecord) => ({ ...f });

/** A long poll waits on the engine, not works: on an emulated clock time may move meanwhile. */
const idle = <T>(e: Engine, p: Promise<T>) => (e.clock instanceof EmulatedClock ? e.clock.idleWhile(p) : p);

function page<T>(items: T[], token: string | undefined, limit: number | undefined, max: number, def: number) {
  const size = limit ?? def;
  if (size < 1 || size > max) throw fnfErrors.invalid(`Limit must be between 1 and ${max}.`);
  const start = token ? Number(token) : 0;
  if (!Number.isInteger(start) || start < 0) throw fnfErrors.invalid('NextToken is invalid.');
  const slice = items.slice(start, start + size);
  return { slice, next: start + size < items.length ? String(start + size) : undefined };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Params = Record<string, any>;
type Action = (engine: Engine, p: Params) => Promise<Record<string, unknown>> | Record<string, unknown>;

const ACTIONS: Record<string, Action> = {
  CreateFlow: (e, p) => flow(e.createFlow(p as Parameters<Engine['createFlow']>[0])),
  UpdateFlow: (e, p) => flow(e.updateFlow(p as Parameters<Engine['updateFlow']>[0])),
  DescribeFlow: (e, p) => flow(e.describeFlow(p.Name)),
  ListFlows: (e, p) => {
    const { slice, next } = page(e.listFlows(), p.NextToken, p.Limit, 1000, 60);
    return { Flows: slice.map(flow), ...(next ? { NextToken: next } : {}) };
  },
  StartExecution: (e, p) => execution(e.startExecution(p as Parameters<Engine['startExecution']>[0])),
  DescribeExecution: async (e, p) => {
    const wait = p.WaitTimeSeconds ?? 0;
    if (wait < 0 || wait > 60) throw fnfErrors.invalid('WaitTimeSeconds must be between 0 and 60.');
    return execution(await idle(e, e.waitExecution(p.FlowName, p.ExecutionName, wait)));
  },
  // NextToken: "以返回的ScheduleEventId作为下次查询的Token；无数据时，该字段不返回" (fnf_2019-03-15
  // metadata, GetExecutionHistory): an event ID — here the last one returned, the next page
  // holding the events after it — and absent once nothing more is there. Limit 1–1000.
  GetExecutionHistory: (e, p) => {
    const events: FlowEvent[] = e.history(p.FlowName, p.ExecutionName);
    const size = p.Limit ?? 100;
    if (size < 1 || size > 1000) throw fnfErrors.invalid('Limit must be between 1 and 1000.');
    const after = p.NextToken === undefined ? 0 : Number(p.NextToken);
    if (!Number.isInteger(after) || after < 0) throw fnfErrors.invalid('NextToken is invalid.');
    const rest = events.filter((x) => x.EventId > after);
    const slice = rest.slice(0, size);
    return { Events: slice, ...(rest.length > size ? { NextToken: String(slice.at(-1)!.EventId) } : {}) };
  },
  ListExecutions: (e, p) => {
    const all = e.listExecutions(p.FlowName, { status: p.Status, prefix: p.ExecutionNamePrefix });
    const { slice, next } = page(all, p.NextToken, p.Limit, 100, 60);
    return { Executions: slice.map(execution), ...(next ? { NextToken: next } : {}) };
  },
  StopExecution: async (e, p) => {
    e.stopExecution(p.FlowName, p.ExecutionName, p.Error, p.Cause);
    return execution(await idle(e, e.settled(p.FlowName, p.ExecutionName)));
  },
  ReportTaskSucceeded: (e, p) => ({ EventId: e.reportTaskSucceeded(p.TaskToken, p.Output) }),
  ReportTaskFailed: (e, p) => ({ EventId: e.reportTaskFailed(p.TaskToken, p.Error, p.Cause) }),
};

export interface FnfServerOptions {
  /** Access key ID → secret accepted by the API. */
  keys: Map<string, string>;
  port?: number;
  host?: string;
  /** Faults injected by FnF action name (e.g. ten minutes of `ResourceThrottled`). */
  faults?: FaultBook;
}

export interface FnfServer {
  url: string;
  /** Every action called with a valid signature and parameters, in order (for RAM policy checks). */
  calls: string[];
  /** Every call with its decoded parameters, refused ones with their code (same records as the emulators' log). */
  log: CallLog;
  close(): Promise<void>;
}

/**
 * FnF's flow control: `ResourceThrottled`, HTTP 429, "The request is throttled. Please try again
 * later." (fnf_2019-03-15 metadata, `errorCodes."429"` of every execution action). An injected
 * error fault without a code plays this answer.
 */
export const THROTTLED = {
  code: 'ResourceThrottled',
  message: 'The request is throttled. Please try again later.',
  httpStatus: 429,
} as const;

export function fnfHandler(
  engine: Engine,
  keys: Map<string, string>,
  calls: string[] = [],
  faults?: FaultBook,
  log: CallLog = new CallLog(),
) {
  const nonces = new NonceBook();
  return async (req: IncomingMessage, res: ServerResponse) => {
    const requestId = randomUUID().toUpperCase();
    let action = '?';
    let caller: string | undefined;
    let values: Record<string, unknown> | undefined;
    const record = (ok: boolean, httpStatus: number, code?: string, responseBytes?: number) =>
      log.record({
        time: engine.clock.now(),
        service: 'fnf',
        product: 'fnf',
        action,
        ok,
        httpStatus,
        caller,
        params: values,
        code,
        ...(responseBytes === undefined ? {} : { responseBytes }),
      });
    try {
      const body = await readBody(
        req,
        MAX_BODY,
        () => new FnfError('EntityTooLarge', `The payload size exceeds maximum allowed size (${MAX_BODY} bytes).`, 400),
      );
      let rpc;
      try {
        rpc = verifiedRpcRequest(req, body, (id) => keys.get(id), nonces);
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        const [code, status] = SIGNATURE_CODES[e.code] ?? [e.code, e.httpStatus];
        throw new FnfError(code, e.message, status);
      }
      if (rpc.version !== PRODUCTS.fnf.version)
        throw new FnfError('APIVersionNotSupported', `The requested API version '${rpc.version}' is not supported yet. Please check.`, 400);
      caller = rpc.verified.accessKeyId;
      action = rpc.action || '?';
      const def = actionDef('fnf', action);
      const run = ACTIONS[action];
      if (!def || !run)
        throw new FnfError('ActionNotSupported', `The requested API operation '${action}' is incorrect. Please check.`, 400);
      const decoded = decodeParams(def.params, rpc.params);
      values = decoded.values;
      const problem = decoded.problems[0];
      if (problem) throw problem.kind === 'missing' ? fnfErrors.missing(problem.name) : fnfErrors.invalid(problem.detail);
      calls.push(action);
      const injected = faults ? (await faults.apply(action, engine.clock)).error : undefined;
      if (injected)
        throw new FnfError(
          injected.code ?? THROTTLED.code,
          injected.message ?? THROTTLED.message,
          injected.httpStatus ?? (injected.code ? 400 : THROTTLED.httpStatus),
        );
      const answer = { RequestId: requestId, ...(await run(engine, decoded.values)) };
      record(true, 200, undefined, Buffer.byteLength(JSON.stringify(answer)));
      sendJson(res, 200, answer);
    } catch (e) {
      const err = e instanceof FnfError ? e : new FnfError('InternalServerError', 'An internal error has occurred. Please retry.', 500);
      if (!(e instanceof FnfError)) console.error('engine bug:', e);
      record(false, err.httpStatus, err.code);
      sendJson(res, err.httpStatus, {
        RequestId: requestId,
        HostId: String(req.headers.host ?? 'engine'),
        Code: err.code,
        Message: err.message,
      });
    }
  };
}

export async function startFnfServer(engine: Engine, opts: FnfServerOptions): Promise<FnfServer> {
  const host = opts.host ?? '127.0.0.1';
  if (!/^127\./.test(host)) throw new Error('the local engine only listens on loopback');
  const calls: string[] = [];
  const log = new CallLog();
  const server: Server = createServer(serveWith(engine.clock, fnfHandler(engine, opts.keys, calls, opts.faults, log)));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  claimServer(engine.clock, server);
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    calls,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
