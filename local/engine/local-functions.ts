import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FcContext, FcCredentials, FcEventHandler } from '../../shared/fc-context.ts';
import type { Clock } from '../../shared/clock.ts';
import { isProvider, type CredentialProvider } from '../../shared/credentials/provider.ts';
import { EmulatedClock } from '../time/emulated-clock.ts';
import { FlowError } from './flow-errors.ts';
import { timeoutOfFolder } from '../deployed-functions.ts';

/**
 * Runs `FC:InvokeFunction` in-process: the ARN `acs:fc:<region>:<account>:functions/<name>/<qualifier>`
 * resolves to the `handler` exported by `functions/<name>/index.ts`, called as FC 3.0 calls it.
 * An empty region or account in the ARN means the engine's own, as in CloudFlow.
 */

export interface LocalFunctionsOptions {
  functionsDir: string;
  region: string;
  accountId: string;
  /** The key FC hands each invocation (the function role's); a provider is asked each time. */
  credentials: FcCredentials | CredentialProvider;
  /** On an emulated clock, loading a function's code counts as work (time stands still meanwhile). */
  clock?: Clock;
}

export interface Invocation {
  /** The function's reply, parsed as JSON when it is JSON (CloudFlow puts it under `$Output.Body`). */
  Body: unknown;
  Header: Record<string, string>;
}

const ARN = /^acs:fc:([^:]*):([^:]*):functions\/([A-Za-z_][A-Za-z0-9_-]{0,127})(?:\/([A-Za-z0-9_.-]+))?$/;

export function parseFunctionArn(arn: string) {
  if (/\$\{/.test(arn))
    throw new FlowError('FC.InvalidArgument', `resourceArn ${arn} still holds placeholders: render the flow first (zpl render)`);
  const m = ARN.exec(arn);
  if (!m) throw new FlowError('FC.InvalidArgument', `resourceArn ${arn} is not acs:fc:<region>:<account>:functions/<name>/<qualifier>`);
  return { region: m[1]!, accountId: m[2]!, name: m[3]!, qualifier: m[4] ?? 'LATEST' };
}

export class LocalFunctions {
  private readonly modules = new Map<string, Promise<FcEventHandler>>();
  /** Invocations running now (a test driver moves a manual clock only while this is 0). */
  inFlight = 0;

  constructor(private readonly opts: LocalFunctionsOptions) {}

  async invoke(arn: string, body: unknown): Promise<Invocation> {
    this.inFlight++;
    try {
      return await this.run(arn, body);
    } finally {
      this.inFlight--;
    }
  }

  private async run(arn: string, body: unknown): Promise<Invocation> {
    const fn = parseFunctionArn(arn);
    if ((fn.region && fn.region !== this.opts.region) || (fn.accountId && fn.accountId !== this.opts.accountId)) {
      throw new FlowError(
        'FC.FunctionNotFound',
        `function ${fn.name} is in ${fn.region || this.opts.region}/${fn.accountId || this.opts.accountId}; this engine runs ${this.opts.region}/${this.opts.accountId}`,
      );
    }
    const handler = await this.load(fn.name);
    const requestId = randomUUID();
    const context: FcContext = {
      requestId,
      credentials: isProvider(this.opts.credentials) ? await this.opts.credentials.getCredentials() : { ...this.opts.credentials },
      // As deployed (s.yaml); a function s.yaml does not deploy (a test fixture) gets 60 s.
      function: { name: fn.name, handler: 'index.handler', memory: 128, timeout: timeoutOfFolder(fn.name) ?? 60, qualifier: fn.qualifier },
      region: this.opts.region,
      accountId: this.opts.accountId,
    };
    // CloudFlow serialises the body to bytes: strings as they are, anything else as JSON.
    const event = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body ?? {}), 'utf8');
    let reply: unknown;
    try {
      reply = await handler(event, context);
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      throw new FlowError('FC.UnhandledInvocationError', JSON.stringify({ errorMessage: err.message, errorType: err.name }));
    }
    return { Body: decodeReply(reply), Header: { 'X-Fc-Request-Id': requestId } };
  }

  private load(name: string): Promise<FcEventHandler> {
    let loaded = this.modules.get(name);
    if (!loaded) {
      const importing = importHandler(resolve(this.opts.functionsDir), name);
      loaded = this.opts.clock instanceof EmulatedClock ? this.opts.clock.busy(importing) : importing;
      this.modules.set(name, loaded);
      loaded.catch(() => this.modules.delete(name));
    }
    return loaded;
  }
}

async function importHandler(dir: string, name: string): Promise<FcEventHandler> {
  const file = ['index.ts', 'index.js', 'index.mjs'].map((f) => join(dir, name, f)).find((f) => existsSync(f));
  if (!file) throw new FlowError('FC.FunctionNotFound', `function ${name} does not exist (no ${join(dir, name)}/index.ts)`);
  const mod = (await import(pathToFileURL(file).href)) as { handler?: unknown };
  if (typeof mod.handler !== 'function') throw new FlowError('FC.FunctionNotFound', `${file} does not export a handler`);
  return mod.handler as FcEventHandler;
}

/** FC returns bytes; a JSON reply becomes a value, anything else stays a string. */
function decodeReply(reply: unknown): unknown {
  if (reply === undefined || reply === null) return null;
  if (typeof reply !== 'string' && !Buffer.isBuffer(reply)) return JSON.parse(JSON.stringify(reply));
  const text = reply.toString();
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
