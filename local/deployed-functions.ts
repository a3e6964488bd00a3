import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse } from 'yaml';

/** The project's s.yaml: what a deployment holds, read by the local stack so it runs as deployed. */
export const S_YAML = join(import.meta.dirname, '..', 's.yaml');

/** FC 3.0's default timeout (fc3 props schema, `timeout.default`) for a function s.yaml gives none. */
export const FC_DEFAULT_TIMEOUT_SECONDS = 3;

/** One fc3 resource of s.yaml: its deployed name, its local folder (`code: ./dist/functions/<folder>`) and its timeout. */
export interface DeployedFunction {
  functionName: string;
  folder: string;
  timeout: number;
}

const cache = new Map<string, DeployedFunction[]>();

/** Every FC 3.0 function s.yaml deploys; none when the file is absent (a bare checkout of the engine). */
export function deployedFunctions(file = S_YAML): DeployedFunction[] {
  const known = cache.get(file);
  if (known) return known;
  const out: DeployedFunction[] = [];
  if (existsSync(file)) {
    const doc = parse(readFileSync(file, 'utf8'), { merge: true }) as {
      resources?: Record<string, { component?: string; props?: { functionName?: string; code?: string; timeout?: number } }>;
    };
    for (const r of Object.values(doc.resources ?? {})) {
      const props = r.props;
      if (r.component !== 'fc3' || !props?.functionName) continue;
      out.push({
        functionName: props.functionName,
        folder: props.code ? basename(props.code) : props.functionName,
        timeout: props.timeout ?? FC_DEFAULT_TIMEOUT_SECONDS,
      });
    }
  }
  cache.set(file, out);
  return out;
}

/**
 * The timeout FC 3.0 would hand a local function's handler (`context.function.timeout`), looked
 * up by its local folder: the steps size their retry budget from it.
 */
export const timeoutOfFolder = (folder: string, file = S_YAML): number | undefined =>
  deployedFunctions(file).find((f) => f.folder === folder)?.timeout;

const FC3_ARN = /^acs:fc:([a-z0-9-]+):(\d+):functions\/([A-Za-z_][A-Za-z0-9_-]{0,127})$/;

/**
 * The local engine's ARN for an FC 3.0 function ARN as an EventBridge target names it
 * (acs:fc:<region>:<account>:functions/<name>), so the same handler runs locally.
 */
export function localArnOf(endpoint: string): string | undefined {
  const m = FC3_ARN.exec(endpoint);
  if (!m) return undefined;
  const folder = deployedFunctions().find((f) => f.functionName === m[3])?.folder ?? m[3]!;
  return `acs:fc:${m[1]}:${m[2]}:functions/${folder}/LATEST`;
}
