import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { requireFlow } from '../../local/engine/fdl-check.ts';
import { flowFiles } from '../flows.ts';
import { flowSvg } from './flow-svg.ts';

/**
 * The page's static files: the browser code (./client/main.ts, bundled by esbuild), the
 * stylesheet, and a chart per flow drawn from flows/*.yaml. Built here on first use when the
 * page runs from source (zpl up, tests); `npm run build` builds them once and puts the result in
 * the api function's page module instead of this file (cli/build.ts, `prebuiltPageAssets`).
 */
export interface PageAsset {
  type: string;
  body: string;
}
export type PageAssets = Record<string, PageAsset>;

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

export async function buildPageAssets(): Promise<PageAssets> {
  const { build } = await import('esbuild');
  const client = await build({
    entryPoints: [here('./client/main.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    logLevel: 'error',
  });
  const assets: PageAssets = {
    'app.js': { type: 'text/javascript; charset=utf-8', body: client.outputFiles[0]!.text },
    'page.css': { type: 'text/css; charset=utf-8', body: readFileSync(here('./page.css'), 'utf8') },
  };
  for (const f of flowFiles())
    assets[`flows/${f.name}.svg`] = { type: 'image/svg+xml', body: flowSvg(requireFlow(f.text, f.file), f.name) };
  return assets;
}

let built: Promise<PageAssets> | undefined;
export const pageAssets = (): Promise<PageAssets> => (built ??= buildPageAssets());
