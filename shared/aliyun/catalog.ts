import type * as z from 'zod/mini';
import { ECS } from './catalog/ecs.ts';
import { EVENTBRIDGE } from './catalog/eventbridge.ts';
import { FNF } from './catalog/fnf.ts';
import { KMS } from './catalog/kms.ts';
import type { ActionDef } from './catalog/index.ts';
import { PRIVATELINK } from './catalog/privatelink.ts';
import { PVTZ } from './catalog/pvtz.ts';
import { RAM } from './catalog/ram.ts';
import { RAM_DEPLOY } from './catalog/ram-deploy.ts';
import { STS, STS_ROLES } from './catalog/sts.ts';
import { VPC } from './catalog/vpc.ts';
import type { Product } from './products.ts';

export type { ActionDef, ParamDef, Scalar } from './catalog/index.ts';

/**
 * The Alibaba Cloud actions the project calls, one file a product under ./catalog/, keyed here
 * by product and then action: an action name alone is not unique (ECS and PrivateLink both have
 * TagResources). The transport, the emulator's parameter checks and the RAM policy all come from
 * here; a test cross-checks it against the official OpenAPI metadata.
 */
export const CATALOG_BY_PRODUCT = {
  Privatelink: PRIVATELINK,
  pvtz: PVTZ,
  Ecs: ECS,
  Vpc: VPC,
  fnf: FNF,
  eventbridge: EVENTBRIDGE,
  Ram: { ...RAM, ...RAM_DEPLOY },
  Kms: KMS,
  Sts: { ...STS, ...STS_ROLES },
} as const satisfies Record<Product, Record<string, ActionDef>>;

type Catalog = typeof CATALOG_BY_PRODUCT;

/** The actions of one product. */
export type ActionName<P extends Product> = keyof Catalog[P] & string;

/** What a call answers, as its response schema validates it. */
export type ActionResponse<P extends Product, A extends ActionName<P>> = Catalog[P][A] extends {
  response: () => infer R extends z.ZodMiniType;
}
  ? z.infer<R>
  : never;

/** One product's action: typed for a literal pair, `undefined` for an unknown one (e.g. from a request). */
export function actionDef<P extends Product, A extends ActionName<P>>(product: P, action: A): Catalog[P][A];
export function actionDef(product: string, action: string): ActionDef | undefined;
export function actionDef(product: string, action: string): ActionDef | undefined {
  if (!Object.hasOwn(CATALOG_BY_PRODUCT, product)) return undefined;
  const table: Record<string, ActionDef> = CATALOG_BY_PRODUCT[product as Product];
  return Object.hasOwn(table, action) ? table[action] : undefined;
}

/** Every catalog action with its product, in catalog order. */
export const CATALOG_ENTRIES: readonly { product: Product; action: string; def: ActionDef }[] = (
  Object.entries(CATALOG_BY_PRODUCT) as [Product, Record<string, ActionDef>][]
).flatMap(([product, table]) => Object.entries(table).map(([action, def]) => ({ product, action, def })));
