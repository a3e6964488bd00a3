import { deployVars } from './deploy-vars.ts';
import { S_YAML } from '../local/deployed-functions.ts';

/**
 * The bus a deployment uses: `vars.eventBus` in s.yaml (default zilliz-privatelink). `zpl build`,
 * `zpl render` and `zpl deploy-bus` take it as their default, so the flows announce on, and the
 * deploy step creates, the bus s.yaml names (`--event-bus` / ZPL_EVENT_BUS still win).
 */
export const configuredEventBus = (file = S_YAML): string => deployVars(file).eventBus;
