import * as core from 'zod/v4/core';

/** Field paths a zod (classic or mini) schema reads, in the same notation as `schemaPaths`. */
export function zodPaths(schema: core.$ZodType, prefix = ''): Set<string> {
  const out = new Set<string>();
  const unwrap = (s: core.$ZodType): core.$ZodType =>
    s instanceof core.$ZodOptional || s instanceof core.$ZodNullable
      ? unwrap(s._zod.def.innerType)
      : s instanceof core.$ZodLazy
        ? unwrap(s._zod.def.getter())
        : s;
  const s = unwrap(schema);
  if (s instanceof core.$ZodObject) {
    for (const [k, v] of Object.entries(s._zod.def.shape)) {
      const path = prefix ? `${prefix}.${k}` : k;
      out.add(path);
      for (const p of zodPaths(v, path)) out.add(p);
    }
  } else if (s instanceof core.$ZodArray) {
    out.add(`${prefix}[]`);
    for (const p of zodPaths(s._zod.def.element, `${prefix}[]`)) out.add(p);
  }
  return out;
}
