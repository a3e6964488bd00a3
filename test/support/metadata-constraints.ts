import { CATALOG, actionNames, type ActionDef } from '../../shared/aliyun/catalog.ts';
import type { ParamConstraint } from '../../local/emulators/alibaba/metadata-rules.ts';
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
 * What `local/emulators/alibaba/metadata/constraints.json` must hold: every catalog action the
 * metadata lists, every parameter. An action it does not list (`notInMetadata`) has no entry:
 * the metadata states nothing about it as data.
 */
export function derivedConstraints(): Record<string, Record<string, ParamConstraint>> {
  const out: Record<string, Record<string, ParamConstraint>> = {};
  for (const name of [...actionNames].sort()) {
    const def = CATALOG[name] as ActionDef;
    if (def.notInMetadata) continue;
    const api = metadata(def.product).apis[name]!;
    out[name] = Object.fromEntries(api.parameters.map((p) => [p.name, constraintOf(p.schema as unknown as Record<string, unknown>)]));
  }
  return out;
}
