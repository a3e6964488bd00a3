/**
 * One JSON line per event. Values under secret-looking keys are replaced before anything is
 * written, so access keys, tokens, API keys and signatures never reach a log.
 */
export type LogFields = Record<string, unknown>;
export interface Logger {
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

const SECRET_KEY = /secret|token|password|signature|authorization|api[-_]?key|credential|accesskeyid/i;

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? '[redacted]' : redact(v, depth + 1);
  return out;
}

export function jsonLogger(write: (line: string) => void = (l) => process.stderr.write(`${l}\n`), base: LogFields = {}): Logger {
  const emit = (level: string, event: string, fields?: LogFields) =>
    write(JSON.stringify(redact({ time: new Date().toISOString(), level, event, ...base, ...fields })));
  return {
    info: (e, f) => emit('info', e, f),
    warn: (e, f) => emit('warn', e, f),
    error: (e, f) => emit('error', e, f),
    child: (fields) => jsonLogger(write, { ...base, ...fields }),
  };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {}, child: () => silentLogger };
