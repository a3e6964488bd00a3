import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parse } from 'yaml';
import { S_YAML } from './engine/function-timeouts.ts';

/**
 * Deployed function names (s.yaml `functionName`, e.g. zpl-events) → the local function folder
 * (its `code: ./dist/functions/<folder>`), so an EventBridge target naming a deployed FC 3.0
 * function (acs:fc:<region>:<account>:functions/<name>) runs the same handler locally.
 */
let cached: Map<string, string> | undefined;

export function deployedFunctionFolders(file = S_YAML): Map<string, string> {
  if (file === S_YAML && cached) return cached;
  const folders = new Map<string, string>();
  if (existsSync(file)) {
    const doc = parse(readFileSync(file, 'utf8'), { merge: true }) as { resources?: Record<string, { component?: string; props?: { functionName?: string; code?: string } }> };
    for (const r of Object.values(doc.resources ?? {})) {
      if (r.component === 'fc3' && r.props?.functionName && r.props.code) folders.set(r.props.functionName, basename(r.props.code));
    }
  }
  if (file === S_YAML) cached = folders;
  return folders;
}

const FC3_ARN = /^acs:fc:([a-z0-9-]+):(\d+):functions\/([A-Za-z_][A-Za-z0-9_-]{0,127})$/;

/** The local engine's ARN for an FC 3.0 function ARN as an EventBridge target names it. */
export function localArnOf(endpoint: string): string | undefined {
  const m = FC3_ARN.exec(endpoint);
  if (!m) return undefined;
  const folder = deployedFunctionFolders().get(m[3]!) ?? m[3]!;
  return `acs:fc:${m[1]}:${m[2]}:functions/${folder}/LATEST`;
}
