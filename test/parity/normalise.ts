/**
 * Replaces what varies between runs and accounts with placeholders before an answer is recorded
 * (LocalStack's snapshot "transformers"): resource IDs by kind and order of appearance
 * (`<sg:1>`, so one ID seen twice keeps one name), request IDs, timestamps, and every other
 * string that is not a status word — so a recorded real-cloud snapshot carries no account's
 * names, addresses or IDs and can be committed.
 */

/**
 * Fields whose values are compared as they are: status words, types, flags, rule ports and the counts
 * of a case's own resources (compared only where the case made what it reads: `compareLiterals`).
 */
export const LITERAL_FIELDS = new Set([
  'Status',
  'EndpointStatus',
  'ConnectionStatus',
  'EndpointBusinessStatus',
  'ZoneStatus',
  'ResourceType',
  'EndpointType',
  'ServiceType',
  'SecurityGroupType',
  'ProxyPattern',
  'Type',
  'IpProtocol',
  'PortRange',
  'Policy',
  'Direction',
  'NicType',
  'Success',
  'IsPtrAuthorized',
  'RecordCount',
  'TotalItems',
  'TotalCount',
  // Zilliz (describe cluster v2)
  'status',
  'plan',
  'clusterType',
]);

/** Resource IDs by the prefix Alibaba gives each kind (sg-, ep-, epsrv-, …), and Zilliz's. */
const ID_KINDS: [RegExp, string][] = [
  [/^sgr-[0-9a-z]+$/, 'sgr'],
  [/^sg-[0-9a-z]+$/, 'sg'],
  [/^epsrv-[0-9a-z]+$/, 'epsrv'],
  [/^ep-[0-9a-z]+$/, 'ep'],
  [/^eni-[0-9a-z]+$/, 'eni'],
  [/^vpc-[0-9a-z]+$/, 'vpc'],
  [/^vsw-[0-9a-z]+$/, 'vsw'],
  [/^proj-[0-9a-z]+$/, 'project'],
  [/^in\d\d-[0-9a-z]+$/, 'cluster'],
  // PrivateZone zone IDs: 32 hex digits.
  [/^[0-9a-f]{32}$/, 'zone'],
];
const REQUEST_ID = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/i;
const TIMESTAMP = /^\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d)?(\.\d+)?(Z|[+-]\d\d:?\d\d)?$/;

export class Normaliser {
  private readonly seen = new Map<string, string>();
  private readonly counts = new Map<string, number>();

  /** The answer with every varying value replaced; status words kept. */
  normalise(value: unknown, key = ''): unknown {
    if (Array.isArray(value)) return value.map((v) => this.normalise(v, key));
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.normalise(v, k)]));
    }
    if (LITERAL_FIELDS.has(key)) return value;
    if (typeof value === 'number') return /Time|Timestamp|Date/.test(key) ? '<timestamp>' : '<number>';
    if (typeof value !== 'string') return value;
    return this.placeholder(value, key);
  }

  private placeholder(value: string, key: string): string {
    if (key === 'RequestId' || key === 'requestId' || REQUEST_ID.test(value)) return '<request-id>';
    if (TIMESTAMP.test(value)) return '<timestamp>';
    const kind = ID_KINDS.find(([re]) => re.test(value))?.[1];
    if (!kind) return value === '' ? '' : '<string>';
    const known = this.seen.get(value);
    if (known) return known;
    const n = (this.counts.get(kind) ?? 0) + 1;
    this.counts.set(kind, n);
    const name = `<${kind}:${n}>`;
    this.seen.set(value, name);
    return name;
  }
}

/** The status words of an answer: path → the values seen there (sorted, each once). */
export function literalsOf(value: unknown, prefix = '$', out: Record<string, string[]> = {}): Record<string, string[]> {
  if (Array.isArray(value)) {
    for (const v of value) literalsOf(v, `${prefix}[]`, out);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const path = `${prefix}.${k}`;
      if (LITERAL_FIELDS.has(k) && v !== null && typeof v !== 'object') {
        out[path] = [...new Set([...(out[path] ?? []), String(v)])].sort();
      } else literalsOf(v, path, out);
    }
  }
  return out;
}
