import { readFileSync } from 'node:fs';

/** zpl's version: package.json's, the one `npm ci` installed. */
export const ZPL_VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
