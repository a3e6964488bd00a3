/**
 * The shape of an answer: every field path with its JSON type, arrays as `[]` (LocalStack's
 * parity snapshots compare recorded answers the same way once values that vary are replaced).
 * Only the elements an array holds are described: an empty list on one side says nothing about
 * the other's items (see `underEmptyList`).
 */
export type JsonType = 'string' | 'number' | 'boolean' | 'null' | 'object' | 'array';
export type Shape = Record<string, JsonType>;

export function jsonType(value: unknown): JsonType {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  const t = typeof value;
  return t === 'string' || t === 'number' || t === 'boolean' ? t : 'object';
}

export function shapeOf(value: unknown, prefix = '$', out: Shape = {}): Shape {
  out[prefix] = jsonType(value);
  if (Array.isArray(value)) {
    for (const item of value) shapeOf(item, `${prefix}[]`, out);
  } else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) shapeOf(v, `${prefix}.${key}`, out);
  }
  return out;
}

/** Whether `path` lies inside a list that holds items on the side that has it and is empty on `other`. */
export function underEmptyList(path: string, other: Shape): boolean {
  for (let i = path.indexOf('[]'); i !== -1; i = path.indexOf('[]', i + 2)) {
    const list = path.slice(0, i);
    if (other[list] === 'array' && !Object.hasOwn(other, `${list}[]`)) return true;
  }
  return false;
}
