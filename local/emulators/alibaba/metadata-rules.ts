import { readFileSync } from 'node:fs';

/**
 * What the official OpenAPI metadata states as data about each parameter (type, enum,
 * minimum/maximum, length, pattern, list size), for every action in the catalog. Extracted from
 * the vendored metadata (sources in `metadata/README.md`); `test/metadata-rules.test.ts` holds the
 * extract equal to `test/reference/aliyun-openapi-meta/*.json`. Numbers are strings, as there.
 */
export interface ParamConstraint {
  type?: string;
  required?: boolean;
  enum?: string[];
  minimum?: string;
  maximum?: string;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  maxItems?: number;
  minItems?: number;
  items?: ParamConstraint;
  properties?: Record<string, ParamConstraint>;
}

export type ActionConstraints = Record<string, Record<string, ParamConstraint>>;
/** Product → action → parameter: an action name alone is not unique (ECS and PrivateLink both have TagResources). */
export type ProductConstraints = Record<string, ActionConstraints>;

export const METADATA_CONSTRAINTS: ProductConstraints = JSON.parse(
  readFileSync(new URL('./metadata/constraints.json', import.meta.url), 'utf8'),
) as ProductConstraints;

/** A value that breaks a stated constraint: which parameter (wire name) and which rule. */
export interface Violation {
  param: string;
  rule: string;
}

function check(name: string, c: ParamConstraint, value: unknown, out: Violation[]): void {
  if (value === undefined || value === null) return;
  if (Array.isArray(value)) {
    if (c.maxItems !== undefined && value.length > Number(c.maxItems)) out.push({ param: name, rule: `at most ${c.maxItems} items` });
    if (c.minItems !== undefined && value.length < Number(c.minItems)) out.push({ param: name, rule: `at least ${c.minItems} items` });
    value.forEach((item, i) => c.items && check(`${name}.${i + 1}`, c.items, item, out));
    return;
  }
  if (typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const field = c.properties?.[k];
      if (field) check(`${name}.${k}`, field, v, out);
    }
    return;
  }
  if (c.enum && !c.enum.includes(String(value))) out.push({ param: name, rule: `one of ${c.enum.join(', ')}` });
  if (typeof value === 'number') {
    if (c.minimum !== undefined && value < Number(c.minimum)) out.push({ param: name, rule: `at least ${c.minimum}` });
    if (c.maximum !== undefined && value > Number(c.maximum)) out.push({ param: name, rule: `at most ${c.maximum}` });
  }
  if (typeof value === 'string') {
    const length = [...value].length;
    if (c.maxLength !== undefined && length > Number(c.maxLength)) out.push({ param: name, rule: `at most ${c.maxLength} characters` });
    if (c.minLength !== undefined && length < Number(c.minLength)) out.push({ param: name, rule: `at least ${c.minLength} characters` });
    if (c.pattern !== undefined && !new RegExp(c.pattern, 'u').test(value)) out.push({ param: name, rule: `matching ${c.pattern}` });
  }
}

/** Every metadata constraint the decoded parameters of `product`'s `action` break (none for an action without metadata). */
export function metadataViolations(
  product: string,
  action: string,
  values: Record<string, unknown>,
  table: ProductConstraints = METADATA_CONSTRAINTS,
): Violation[] {
  const params = table[product]?.[action];
  if (!params) return [];
  const out: Violation[] = [];
  for (const [name, value] of Object.entries(values)) {
    const c = params[name];
    if (c) check(name, c, value, out);
  }
  return out;
}
