import type { CallLog } from '../emulators/call-log.ts';
import { fileURLToPath } from 'node:url';
import { Engine, type EngineOptions } from './engine.ts';
import { startFnfServer } from './fnf-api.ts';
import { FaultBook } from '../emulators/faults.ts';

/** The project's `functions/` folder, wherever the process was started from. */
export const FUNCTIONS_DIR = fileURLToPath(new URL('../../functions', import.meta.url));

export interface LocalEngineOptions extends Omit<EngineOptions, 'functionsDir'> {
  functionsDir?: string;
  /** Access key ID → secret the FnF API accepts. */
  keys: Map<string, string>;
  port?: number;
  /** Re-enter the executions that were running when the engine last stopped (default true). */
  resume?: boolean;
  /** Faults the FnF API plays (throttling); tests add to it. */
  faults?: FaultBook;
}

export interface LocalEngine {
  engine: Engine;
  /** Base URL of the FnF API. */
  url: string;
  /** Executions that were running when the engine last stopped and were resumed. */
  resumed: string[];
  /** FnF actions called on the API, in order. */
  calls: string[];
  /** Faults the FnF API plays, by FnF action name. */
  faults: FaultBook;
  /** The FnF API's call log: every call with its decoded parameters, refused ones too. */
  log: CallLog;
  close(): Promise<void>;
}

/** Starts the engine, resumes what was running, and serves the FnF API on loopback. */
export async function startLocalEngine(opts: LocalEngineOptions): Promise<LocalEngine> {
  const engine = new Engine({ ...opts, functionsDir: opts.functionsDir ?? FUNCTIONS_DIR });
  const faults = opts.faults ?? new FaultBook(opts.clock);
  const server = await startFnfServer(engine, { keys: opts.keys, port: opts.port, faults });
  const resumed = opts.resume === false ? [] : engine.resume().map((r) => `${r.flowName}/${r.name}`);
  return {
    engine,
    url: server.url,
    resumed,
    calls: server.calls,
    faults,
    log: server.log,
    close: async () => {
      await engine.abandon();
      await server.close();
    },
  };
}
