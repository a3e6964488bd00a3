import { CATALOG_ENTRIES } from '../../shared/aliyun/catalog.ts';
import type { ParamConstraint, ProductConstraints } from '../../local/emulators/alibaba/metadata-rules.ts';
import { metadata } from './metadata.ts';

const KEYS = ['type', 'required', 'enum', 'minimum', 'maximum', 'minLength', 'maxLength', 'pattern', 'maxItems', 'minItems'] as const;

/** The constraints a metadata schema states as data (numbers as the metadata spells them: strings). */
function constraintOf(schema: Record<string, unknown>): ParamConstraint {
  const out: Record<string, unknown> = {};
  for (const k of KEYS) if (schema[k] !== undefined) out[k] = schema[k];
  if (schema.items) out.items = constraintOf(schema.items as Record<string, unknown>);
  if (schema.properties) {
    out.properties = Object.fromEntries(
      Object.entries(schema.properties as Record<string, Record<string, unknown>>).map(([k, v]) => [k, constraintOf(v)]),
    );
  }
  return out as ParamConstraint;
}

/**
 * What `local/emulators/alibaba/metadata/constraints.json` must hold, by product then action:
 * every catalog action the metadata lists, every parameter. An action it does not list
 * (`notInMetadata`) has no entry: the metadata states nothing about it as data.
 */
export function derivedConstraints(): ProductConstraints {
  const out: ProductConstraints = {};
  const key = (e: (typeof CATALOG_ENTRIES)[number]) => `${e.product} ${e.action}`;
  const entries = [...CATALOG_ENTRIES].sort((a, b) => (key(a) < key(b) ? -1 : 1));
  for (const { product, action, def } of entries) {
    if (def.notInMetadata) continue;
    const api = metadata(product).apis[action]!;
    (out[product] ??= {})[action] = Object.fromEntries(
      api.parameters.map((p) => [p.name, constraintOf(p.schema as unknown as Record<string, unknown>)]),
    );
  }
  return out;
}
