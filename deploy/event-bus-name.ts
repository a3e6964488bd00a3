import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { DEFAULT_EVENT_BUS } from '../shared/flow-render.ts';
import { S_YAML } from '../local/deployed-functions.ts';

/**
 * The bus a deployment uses: `vars.eventBus` in s.yaml (default zilliz-privatelink). `zpl build`,
 * `zpl render` and `zpl deploy-bus` take it as their default, so the flows announce on, and the
 * deploy step creates, the bus s.yaml names (`--event-bus` / ZPL_EVENT_BUS still win).
 */
export function configuredEventBus(file = S_YAML): string {
  if (!existsSync(file)) return DEFAULT_EVENT_BUS;
  const doc = parse(readFileSync(file, 'utf8'), { merge: true }) as { vars?: { eventBus?: unknown } };
  return typeof doc.vars?.eventBus === 'string' && doc.vars.eventBus !== '' ? doc.vars.eventBus : DEFAULT_EVENT_BUS;
}
