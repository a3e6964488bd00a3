import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CloudFlowApi } from './aliyun/cloudflow.ts';
import { renderFlow, type RenderVars } from './flow-render.ts';

/** The project's flows (`flows/*.yaml`), rendered for an account and region and deployed by name. */
export const FLOWS_DIR = fileURLToPath(new URL('../flows', import.meta.url));
export { ADOPT_FLOW, DOCTOR_FLOW, DRIFT_FLOW, FOLLOW_FLOW, PROVISION_FLOW, TEARDOWN_FLOW } from './flow-names.ts';

export interface FlowFile {
  name: string;
  file: string;
  text: string;
}

export function flowFiles(dir = FLOWS_DIR): FlowFile[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => {
      const text = readFileSync(join(dir, f), 'utf8');
      const name = /^Name:\s*(\S+)\s*$/m.exec(text)?.[1];
      if (!name) throw new Error(`${f} has no top-level Name`);
      return { name, file: join(dir, f), text };
    });
}

/** Renders and deploys every flow (create or update), returning what happened to each. */
export async function deployFlows(api: CloudFlowApi, vars: RenderVars, opts: { roleArn?: string; dir?: string } = {}) {
  const results: { name: string; result: 'created' | 'updated' }[] = [];
  for (const flow of flowFiles(opts.dir)) {
    const definition = renderFlow(flow.text, vars);
    const result = await api.deployFlow({
      name: flow.name,
      definition,
      description: `zilliz-privatelink ${basename(flow.file)}`,
      roleArn: opts.roleArn,
    });
    results.push({ name: flow.name, result });
  }
  return results;
}
