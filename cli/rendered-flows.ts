import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { flowFiles } from '../shared/flows.ts';
import { renderFlow, type RenderVars } from '../shared/flow-render.ts';

/**
 * Every flow rendered for an account, region and event bus into `dir` as `<flow name>.yaml`.
 * `zpl render` and `zpl build` both write through here, so the two cannot render differently
 * (issue 13: render passes the event bus as build does). Throws on the first flow that cannot
 * be rendered; `onWritten` hears each file as it lands.
 */
export function writeRenderedFlows(dir: string, vars: RenderVars, onWritten: (file: string) => void = () => undefined): string[] {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (const flow of flowFiles()) {
    const file = join(dir, `${flow.name}.yaml`);
    writeFileSync(file, renderFlow(flow.text, { region: vars.region, accountId: vars.accountId, eventBus: vars.eventBus }));
    files.push(file);
    onWritten(file);
  }
  return files;
}
