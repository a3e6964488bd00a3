import * as z from 'zod';

/** Field paths a zod schema reads, in the same notation as `schemaPaths`. */
export function zodPaths(schema: z.ZodType, prefix = ''): Set<string> {
  const out = new Set<string>();
  const unwrap = (s: z.ZodType): z.ZodType =>
    s instanceof z.ZodOptional || s instanceof z.ZodNullable ? unwrap(s.unwrap() as z.ZodType) : s;
  const s = unwrap(schema);
  if (s instanceof z.ZodObject) {
    for (const [k, v] of Object.entries(s.shape)) {
      const path = prefix ? `${prefix}.${k}` : k;
      out.add(path);
      for (const p of zodPaths(v as z.ZodType, path)) out.add(p);
    }
  } else if (s instanceof z.ZodArray) {
    out.add(`${prefix}[]`);
    for (const p of zodPaths(s.element as z.ZodType, `${prefix}[]`)) out.add(p);
  }
  return out;
}
