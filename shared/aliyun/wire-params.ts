/**
 * Alibaba RPC parameters on the wire: lists are flattened 1-based (`SecurityGroupId.1`,
 * `Zone.1.ZoneId`), scalars are strings. Used by the transport to encode and by the emulator
 * to decode against the same action catalog.
 */
import type { ParamDef, Scalar } from './catalog.ts';

export type StructuredParams = Record<string, unknown>;

/** `style: json` parameters travel as one JSON string; everything else is flattened. */
export function encodeJsonParams(defs: ParamDef[], params: StructuredParams): StructuredParams {
  const out: StructuredParams = { ...params };
  for (const def of defs)
    if (def.type === 'json' && out[def.name] !== undefined && typeof out[def.name] !== 'string')
      out[def.name] = JSON.stringify(out[def.name]);
  return out;
}

export function flattenParams(params: StructuredParams): Record<string, string> {
  const flat: Record<string, string> = {};
  const put = (key: string, value: unknown) => {
    if (value === undefined || value === null) return;
    if (Array.isArray(value)) {
      value.forEach((item, i) => put(`${key}.${i + 1}`, item));
    } else if (typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) put(`${key}.${k}`, v);
    } else {
      flat[key] = String(value);
    }
  };
  for (const [k, v] of Object.entries(params)) put(k, v);
  return flat;
}

export interface ParamProblem {
  /** `missing` → Missing<Name>; `invalid` → InvalidParameter naming the field. */
  kind: 'missing' | 'invalid';
  name: string;
  detail: string;
}

const SCALAR_CHECK: Record<Scalar, (v: string) => boolean> = {
  string: () => true,
  integer: (v) => /^-?\d+$/.test(v),
  boolean: (v) => v === 'true' || v === 'false',
};

const coerce = (type: Scalar, v: string): unknown => (type === 'integer' ? Number(v) : type === 'boolean' ? v === 'true' : v);

/**
 * Decodes flat wire parameters into structured values for the params the catalog declares,
 * reporting missing required ones and type errors. Unknown parameters are left alone
 * (the official metadata lags behind the live API; cloud-facts §2 / reference README).
 */
export function decodeParams(defs: ParamDef[], flat: Record<string, string>): { values: StructuredParams; problems: ParamProblem[] } {
  const values: StructuredParams = {};
  const problems: ParamProblem[] = [];
  for (const def of defs) {
    if (def.type === 'json') {
      const raw = flat[def.name];
      if (raw === undefined || raw === '') {
        if (def.required) problems.push({ kind: 'missing', name: def.name, detail: `${def.name} is mandatory for this action.` });
        continue;
      }
      try {
        values[def.name] = JSON.parse(raw) as unknown;
      } catch {
        problems.push({ kind: 'invalid', name: def.name, detail: `The parameter ${def.name} is not valid JSON.` });
      }
      continue;
    }
    if (def.type !== 'list' && def.type !== 'objectList') {
      const raw = flat[def.name];
      if (raw === undefined || raw === '') {
        if (def.required) problems.push({ kind: 'missing', name: def.name, detail: `${def.name} is mandatory for this action.` });
        continue;
      }
      if (!SCALAR_CHECK[def.type](raw)) {
        problems.push({
          kind: 'invalid',
          name: def.name,
          detail: `The parameter ${def.name} must be ${def.type === 'integer' ? 'an integer' : 'true or false'}.`,
        });
        continue;
      }
      values[def.name] = coerce(def.type, raw);
      continue;
    }
    const indices = new Set<number>();
    const prefix = `${def.name}.`;
    for (const key of Object.keys(flat)) {
      if (!key.startsWith(prefix)) continue;
      const m = /^(\d+)(?:\.(.+))?$/.exec(key.slice(prefix.length));
      if (!m || Number(m[1]) < 1) {
        problems.push({ kind: 'invalid', name: key, detail: `The parameter ${key} is not a valid list element.` });
        continue;
      }
      indices.add(Number(m[1]));
    }
    if (indices.size === 0) {
      if (def.required) problems.push({ kind: 'missing', name: def.name, detail: `${def.name} is mandatory for this action.` });
      continue;
    }
    if (def.max !== undefined && indices.size > def.max) {
      problems.push({ kind: 'invalid', name: def.name, detail: `The parameter ${def.name} takes at most ${def.max} items.` });
      continue;
    }
    const items: unknown[] = [];
    for (const i of [...indices].sort((a, b) => a - b)) {
      if (def.type === 'list') {
        const raw = flat[`${def.name}.${i}`];
        if (raw === undefined || !SCALAR_CHECK[def.items](raw)) {
          problems.push({ kind: 'invalid', name: `${def.name}.${i}`, detail: `The parameter ${def.name}.${i} is invalid.` });
          continue;
        }
        items.push(coerce(def.items, raw));
      } else {
        const item: Record<string, unknown> = {};
        for (const [field, type] of Object.entries(def.fields)) {
          const raw = flat[`${def.name}.${i}.${field}`];
          if (raw === undefined) continue;
          if (!SCALAR_CHECK[type](raw)) {
            problems.push({
              kind: 'invalid',
              name: `${def.name}.${i}.${field}`,
              detail: `The parameter ${def.name}.${i}.${field} is invalid.`,
            });
            continue;
          }
          item[field] = coerce(type, raw);
        }
        items.push(item);
      }
    }
    values[def.name] = items;
  }
  return { values, problems };
}
