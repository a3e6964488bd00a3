import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/**
 * Each function's `timeout` (seconds) as s.yaml deploys it, so a local invocation's context
 * carries what FC 3.0 would hand the handler (`context.function.timeout`): the steps size their
 * retry budget from it.
 */
export const S_YAML = join(import.meta.dirname, '..', '..', 's.yaml');

/** FC 3.0's default timeout (fc3 props schema, `timeout.default`) for a function s.yaml does not list. */
export const FC_DEFAULT_TIMEOUT_SECONDS = 3;

let cached: Map<string, number> | undefined;

export function functionTimeouts(file = S_YAML): Map<string, number> {
  if (file === S_YAML && cached) return cached;
  const timeouts = new Map<string, number>();
  if (existsSync(file)) {
    const doc = parse(readFileSync(file, 'utf8'), { merge: true }) as { resources?: Record<string, { component?: string; props?: { functionName?: string; timeout?: number } }> };
    for (const r of Object.values(doc.resources ?? {})) {
      if (r.component === 'fc3' && r.props?.functionName) timeouts.set(r.props.functionName, r.props.timeout ?? FC_DEFAULT_TIMEOUT_SECONDS);
    }
  }
  if (file === S_YAML) cached = timeouts;
  return timeouts;
}
