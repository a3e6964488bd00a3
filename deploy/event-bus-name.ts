import { deployVars } from './deploy-vars.ts';
import { S_YAML } from '../local/deployed-functions.ts';

/**
 * The bus a deployment uses: `vars.eventBus` in s.yaml (default zilliz-privatelink). `zpl build`
 * and `zpl deploy-bus` use it, so the flows announce on, and the deploy step creates, the bus
 * s.yaml names (`--event-bus`, and for deploy-bus ZPL_EVENT_BUS, may repeat it, not contradict it);
 * `zpl render`, which deploys nothing, shows it unless `--event-bus` or ZPL_EVENT_BUS names another.
 */
export const configuredEventBus = (file = S_YAML): string => deployVars(file).eventBus;
