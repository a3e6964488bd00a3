import type * as z from 'zod/mini';
import { ECS } from './catalog/ecs.ts';
import { EVENTBRIDGE } from './catalog/eventbridge.ts';
import { FNF } from './catalog/fnf.ts';
import type { ActionDef as ProductActionDef } from './catalog/index.ts';
import { PRIVATELINK } from './catalog/privatelink.ts';
import { PVTZ } from './catalog/pvtz.ts';
import { VPC } from './catalog/vpc.ts';
import type { Product } from './products.ts';

export type { ParamDef, Scalar } from './catalog/index.ts';

/**
 * The Alibaba Cloud actions the product calls, one file a product under ./catalog/, keyed here
 * by product and then action (ECS and PrivateLink may both have a TagResources). The transport,
 * the emulator's parameter checks and the RAM policy all come from here; a test cross-checks it
 * against the official OpenAPI metadata.
 */
export const CATALOG_BY_PRODUCT = {
  Privatelink: PRIVATELINK,
  pvtz: PVTZ,
  Ecs: ECS,
  Vpc: VPC,
  fnf: FNF,
  eventbridge: EVENTBRIDGE,
} as const satisfies Record<Product, Record<string, ProductActionDef>>;

export interface ActionDef extends ProductActionDef {
  product: Product;
}

type Flat = {
  [P in Product]: { [A in keyof (typeof CATALOG_BY_PRODUCT)[P]]: (typeof CATALOG_BY_PRODUCT)[P][A] & { product: P } };
}[Product];
type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

/** The same actions flattened by name, for the code that still looks up by action alone. */
export const CATALOG = flatten() as UnionToIntersection<Flat>;

/** A name two products share cannot be looked up by name alone: refuse it here rather than let one hide the other. */
function flatten(): Record<string, ActionDef> {
  const out: Record<string, ActionDef> = {};
  for (const [product, table] of Object.entries(CATALOG_BY_PRODUCT) as [Product, Record<string, ProductActionDef>][]) {
    for (const [action, def] of Object.entries(table)) {
      const taken = out[action];
      if (taken) throw new Error(`catalog: ${action} is both ${taken.product}'s and ${product}'s; look it up by product`);
      out[action] = { ...def, product };
    }
  }
  return out;
}

export type ActionName = keyof typeof CATALOG;
export type ActionResponse<A extends ActionName> = z.infer<(typeof CATALOG)[A]['response']>;

export const actionNames = Object.keys(CATALOG) as ActionName[];

export function actionDef(action: string): ActionDef | undefined {
  return Object.hasOwn(CATALOG, action) ? (CATALOG as Record<string, ActionDef>)[action] : undefined;
}
