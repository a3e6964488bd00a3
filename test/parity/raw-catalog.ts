import * as zm from 'zod/mini';
import { CATALOG_BY_PRODUCT, type ActionDef } from '../../shared/aliyun/catalog.ts';
import type { Product } from '../../shared/aliyun/products.ts';

/**
 * The catalog with every answer passed through untouched: the parity suite compares the raw
 * answer's shape, while the product's catalog keeps only the fields it reads (zod strips the
 * rest). The catalog's own verdict on each answer is recorded beside it (`catalogProblem`).
 */
export const RAW_CATALOG = Object.fromEntries(
  Object.entries(CATALOG_BY_PRODUCT).map(([product, table]) => [
    product,
    Object.fromEntries(
      Object.entries(table as Record<string, ActionDef>).map(([action, def]) => [action, { ...def, response: () => zm.unknown() }]),
    ),
  ]),
) as Partial<Record<Product, Record<string, ActionDef>>>;
