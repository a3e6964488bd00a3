import { linkSpecSchema, type FieldError, type LinkSpec } from './spec.ts';

/**
 * How a request's spec differs from the spec a run is provisioning, field by field, both with
 * shared/spec.ts's defaults applied. Lists compare as sets (clusters, zones, allowedCidrs: their
 * order changes nothing the steps do); everything else compares by value. A request that differs
 * is never folded into the running run (shared/link-runs.ts refuses it, naming these fields).
 */

/** One field's difference, in the shape of the API's `error.fields`. */
export type SpecDifference = FieldError;

const MAX_SHOWN = 160;

type Value = unknown;

/** A list's members as comparable strings; undefined when the field is not a list. */
function members(field: string, value: Value): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  if (field === 'zones') return (value as LinkSpec['zones']).map((z) => (z.vSwitchId ? `${z.zoneId} (${z.vSwitchId})` : z.zoneId));
  return value.map(String);
}

/** A value with object keys sorted, so `{a, b}` and `{b, a}` compare equal. */
function canonical(value: Value): Value {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, canonical(v)]),
    );
  return value;
}

const shown = (value: Value) => {
  const text = value === undefined ? '(not set)' : Array.isArray(value) ? value.join(', ') || '(none)' : JSON.stringify(canonical(value));
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text;
};

function listDifference(field: string, running: string[], requested: string[], execution: string): SpecDifference | undefined {
  const added = requested.filter((m) => !running.includes(m));
  const dropped = running.filter((m) => !requested.includes(m));
  if (!added.length && !dropped.length) return undefined;
  const parts = [...(added.length ? [`adds ${shown(added)}`] : []), ...(dropped.length ? [`leaves out ${shown(dropped)}`] : [])];
  return { field, message: `${execution} runs with ${shown(running)}; this request ${parts.join(' and ')}` };
}

/** The fields in which `requested` differs from `running` (the spec of `execution`), in spec order. */
export function specDifferences(running: LinkSpec, requested: LinkSpec, execution: string): SpecDifference[] {
  const fields = Object.keys(linkSpecSchema.shape);
  const out: SpecDifference[] = [];
  for (const field of fields) {
    const a = (running as Record<string, Value>)[field];
    const b = (requested as Record<string, Value>)[field];
    const listA = members(field, a);
    const listB = members(field, b);
    if (listA && listB) {
      const d = listDifference(field, listA, listB, execution);
      if (d) out.push(d);
      continue;
    }
    if (JSON.stringify(canonical(a)) === JSON.stringify(canonical(b))) continue;
    out.push({ field, message: `${execution} runs with ${shown(a)}; this request asks for ${shown(b)}` });
  }
  return out;
}
