import { CATALOG_ENTRIES, actionDef } from '../../shared/aliyun/catalog.ts';
import type { CallRecord } from '../../local/emulators/call-log.ts';

/** Action names two products share (ECS and PrivateLink both have TagResources). */
const SHARED = new Set(CATALOG_ENTRIES.map((e) => e.action).filter((a, i, all) => all.indexOf(a) !== i));

/** A call as tests name it: its action, or `Product.Action` where the name alone is ambiguous. */
export const callName = (c: CallRecord): string =>
  c.service === 'alibaba' && SHARED.has(c.action) ? `${c.product}.${c.action}` : c.action;

/** Calls that changed something: Alibaba actions marked `write` in the catalog, Zilliz POST/DELETE operations. */
export const isWrite = (c: CallRecord): boolean =>
  c.service === 'alibaba'
    ? actionDef(c.product, c.action)?.write === true
    : ['allowlistAccount', 'registerEndpoint', 'deleteEndpoint'].includes(c.action);
