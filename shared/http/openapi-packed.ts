import { gunzipSync, gzipSync } from 'node:zlib';
import type { openApiDocument } from './openapi.ts';

/**
 * The OpenAPI document as the api bundle carries it. `npm run build` generates it from the
 * schemas (./openapi.ts, which stays the source) and puts it in the bundle in place of that
 * module, gzipped and base64-encoded: under 3 KiB, where zod's JSON Schema generator would add
 * about 23 KiB and the plain document 18 KiB (cli/build.ts, `prebuiltOpenApi`).
 */
export function packOpenApi(doc: ReturnType<typeof openApiDocument>): string {
  return gzipSync(JSON.stringify(doc), { level: 9 }).toString('base64');
}

/** `openApiDocument` over a packed document: the same answer, unpacked on first use. */
export function unpackOpenApi(packed: string): typeof openApiDocument {
  let text: string | undefined;
  return (serverUrl?: string) => {
    text ??= gunzipSync(Buffer.from(packed, 'base64')).toString('utf8');
    const { openapi, info, servers, ...rest } = JSON.parse(text) as ReturnType<typeof openApiDocument>;
    return { openapi, info, servers: serverUrl ? [{ ...servers[0]!, url: serverUrl }] : servers, ...rest };
  };
}
