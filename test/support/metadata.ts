import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The official Alibaba OpenAPI metadata and the FC 3.0 reference files, vendored in
 * `test/reference/` (sources, commits and licences in its README). Tests read them; the product
 * never does. They are always there: a missing file fails the test that reads it.
 */
export const REFERENCE_DIR = fileURLToPath(new URL('../reference/', import.meta.url));

/** A vendored reference file, e.g. `reference('fc3/props.schema.json')`, as text. */
export function reference(path: string): string {
  return readFileSync(`${REFERENCE_DIR}${path}`, 'utf8');
}

export interface MetaSchema {
  type?: string;
  required?: boolean;
  properties?: Record<string, MetaSchema>;
  items?: MetaSchema;
}
export interface MetaParam {
  name: string;
  in: string;
  style?: string;
  schema: MetaSchema;
}
export interface MetaApi {
  methods: string[];
  parameters: MetaParam[];
  responses: { '200': { schema: MetaSchema } };
  errorCodes?: Record<string, { errorCode: string }[]>;
}
export interface MetaFile {
  info: { product: string; version: string };
  endpoints: { regionId: string; endpoint: string }[];
  apis: Record<string, MetaApi>;
}

const FILES: Record<string, string> = {
  Privatelink: 'privatelink_2020-04-15.json',
  pvtz: 'pvtz_2018-01-01.json',
  Ecs: 'ecs_2014-05-26.json',
  Vpc: 'vpc_2016-04-28.json',
  fnf: 'fnf_2019-03-15.json',
  eventbridge: 'eventbridge_2020-04-01.json',
  Sts: 'sts_2015-04-01.json',
  Ram: 'ram_2015-05-01.json',
};

export function metadata(product: string): MetaFile {
  const file = FILES[product];
  if (!file) throw new Error(`no metadata file for ${product}`);
  return JSON.parse(reference(`aliyun-openapi-meta/${file}`)) as MetaFile;
}

/** Every field path a response schema declares, arrays as `[]`: `Zones.Zone[].ZoneId`. */
export function schemaPaths(schema: MetaSchema, prefix = ''): Set<string> {
  const out = new Set<string>();
  if (schema.type === 'object') {
    for (const [k, v] of Object.entries(schema.properties ?? {})) {
      const path = prefix ? `${prefix}.${k}` : k;
      out.add(path);
      for (const p of schemaPaths(v, path)) out.add(p);
    }
  } else if (schema.type === 'array' && schema.items) {
    out.add(`${prefix}[]`);
    for (const p of schemaPaths(schema.items, `${prefix}[]`)) out.add(p);
  }
  return out;
}
