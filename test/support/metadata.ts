import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The official Alibaba OpenAPI metadata kept in the team folder (`../shared/reference`).
 * Tests read it; the product never does.
 */
export const REFERENCE_DIR = fileURLToPath(new URL('../../../shared/reference/', import.meta.url));
export const hasReference = existsSync(REFERENCE_DIR);

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
};

export function metadata(product: string): MetaFile {
  const file = FILES[product];
  if (!file) throw new Error(`no metadata file for ${product}`);
  return JSON.parse(readFileSync(`${REFERENCE_DIR}aliyun-openapi-meta/${file}`, 'utf8')) as MetaFile;
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
