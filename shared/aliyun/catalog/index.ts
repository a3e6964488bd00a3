import * as z from '../../zod.ts';

/**
 * What every per-product catalog file shares: the shape of an action (request parameters named
 * exactly as on the wire, requiredness, types, list shapes; the response fields the code reads,
 * validated with zod/mini so a wire change fails loudly; the read/write split for the RAM policy)
 * and the small builders the tables are written with. The tables themselves live one product a
 * file beside this one; ../catalog.ts joins them, keyed by product and then action.
 */

export type Scalar = 'string' | 'integer' | 'boolean';

export type ParamDef =
  /** `in: 'body'`: sent in the form body (the metadata's `formData`); otherwise in the query. */
  | { name: string; type: Scalar; required?: boolean; in?: 'body' }
  /** `Name.1`, `Name.2`, … */
  | { name: string; type: 'list'; items: Scalar; required?: boolean; max?: number; in?: 'body' }
  /** `Name.1.Field`, … */
  | { name: string; type: 'objectList'; fields: Record<string, Scalar>; required?: boolean; max?: number; in?: 'body' }
  /** One parameter holding a JSON document (the metadata's `style: json`, e.g. EventBridge's `Targets`). */
  | { name: string; type: 'json'; required?: boolean; in?: 'body' };

export interface ActionDef {
  /** The HTTP method the API accepts; POST unless the metadata allows only GET. */
  method?: 'GET' | 'POST';
  params: ParamDef[];
  /** Built on first use (first-use.ts): a function calls a few of the catalog's actions, so it builds only their schemas. */
  response: () => z.ZodMiniType;
  /** Changes state in the cloud (drives fault tests and the read/write split of the RAM policy). */
  write: boolean;
  /** Called without a signature (the metadata's `security` is not AK: STS AssumeRoleWithOIDC authenticates by its token). */
  anonymous?: true;
  /**
   * Set only for an action the official OpenAPI metadata does not list: the vendor SDK file its
   * parameters and response come from. Such an action has no entry in the emulator's
   * constraints.json (nothing is stated as data about it) and the metadata cross-checks pass it by.
   */
  notInMetadata?: string;
}

export const str = (name: string, required = false): ParamDef => ({ name, type: 'string', required });
export const int = (name: string, required = false): ParamDef => ({ name, type: 'integer', required });
export const bool = (name: string, required = false): ParamDef => ({ name, type: 'boolean', required });
export const form = (name: string, required = false): ParamDef => ({ name, type: 'string', required, in: 'body' });
export const list = (name: string, items: Scalar, max?: number): ParamDef => ({ name, type: 'list', items, max });
export const json = (name: string, required = false): ParamDef => ({ name, type: 'json', required });
export const objects = (name: string, fields: Record<string, Scalar>, max?: number): ParamDef => ({
  name,
  type: 'objectList',
  fields,
  max,
});

export const Region = str('RegionId', true);
export const ClientToken = str('ClientToken');
export const DryRun = bool('DryRun');

// Responses list only what the code reads; unknown fields pass through.
export const requestOnly = z.object({ RequestId: z.string() });
export const paging = { PageNumber: z.number(), PageSize: z.number() };
