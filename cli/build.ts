import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { FUNCTIONS_DIR } from '../local/engine/index.ts';
import { ramPolicies } from '../deploy/policy.ts';
import { writeRenderedFlows } from './rendered-flows.ts';
import { packageBytes } from './bundle-packages.ts';
import { openApiDocument } from '../shared/http/openapi.ts';
import { packOpenApi } from '../shared/http/openapi-packed.ts';
import { buildPageAssets } from '../shared/page/assets.ts';
import { STEPS } from '../shared/steps/table.ts';

/**
 * `npm run build`: one small artifact per function (esbuild: bundled, minified, CommonJS for
 * FC's `index.handler` on nodejs20), the flows rendered for an account and region, and the RAM
 * policies. Everything goes to `dist/`; `s.yaml` points there.
 */
export interface BuildOptions {
  outDir: string;
  region?: string;
  accountId?: string;
  eventBus?: string;
}

export interface BuildResult {
  /** `bytes`: the bundle; `sourceBytes`: everything it was built from (the unbundled equivalent). */
  /** `packages`: bytes each package adds to the bundle (cli/bundle-packages.ts). */
  functions: { name: string; bytes: number; sourceBytes: number; packages: Record<string, number>; pageBytes?: number }[];
  flows: string[];
  policies: string[];
  notes: string[];
}

export async function buildAll(opts: BuildOptions): Promise<BuildResult> {
  const out: BuildResult = { functions: [], flows: [], policies: [], notes: [] };
  rmSync(opts.outDir, { recursive: true, force: true });
  const plugins = [prebuiltOpenApi(), leanStepTable(), separatePage()];
  const bundle = (entry: string, outfile: string, extra: Plugin[] = []) =>
    build({
      entryPoints: [entry],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      minify: true,
      sourcemap: false,
      legalComments: 'none',
      // Functions always get FC's credentials explicitly; the default chain is for the CLI only.
      external: ['@alicloud/credentials'],
      logLevel: 'error',
      metafile: true,
      plugins: [...plugins, ...extra],
    });
  for (const name of readdirSync(FUNCTIONS_DIR)
    .filter((d) => existsSync(join(FUNCTIONS_DIR, d, 'index.ts')))
    .sort()) {
    const dir = join(opts.outDir, 'functions', name);
    const result = await bundle(join(FUNCTIONS_DIR, name, 'index.ts'), join(dir, 'index.js'));
    // The repo is ESM; the artifact is CommonJS, which FC's `index.handler` loads as is.
    writeFileSync(join(dir, 'package.json'), '{ "type": "commonjs" }\n');
    const sourceBytes = Object.values(result.metafile!.inputs).reduce((n, i) => n + i.bytes, 0);
    const entry: BuildResult['functions'][number] = {
      name,
      bytes: statSync(join(dir, 'index.js')).size,
      sourceBytes,
      packages: packageBytes(result.metafile!),
    };
    // The status page's module (shared/http/page-route.ts loads it on the first /page request).
    if (Object.keys(result.metafile!.outputs).some((o) => result.metafile!.outputs[o]!.imports.some((i) => i.path === PAGE_MODULE))) {
      await bundle(PAGE_SOURCE, join(dir, PAGE_MODULE), [prebuiltPageAssets(await buildPageAssets())]);
      entry.pageBytes = statSync(join(dir, PAGE_MODULE)).size;
    }
    out.functions.push(entry);
  }
  if (opts.accountId && opts.region) {
    out.flows.push(
      ...writeRenderedFlows(join(opts.outDir, 'flows'), { region: opts.region, accountId: opts.accountId, eventBus: opts.eventBus }),
    );
    // Ticket intake needs the bus and its rule, which s deploy does not make (deploy/eventbridge.ts).
    out.notes.push(
      `after s deploy: zpl deploy-bus --region ${opts.region} --account-id ${opts.accountId}${opts.eventBus ? ` --event-bus ${opts.eventBus}` : ''}  (creates or reuses the bus and the rule sending zpl.link.requested to zpl-events)`,
    );
  } else {
    out.notes.push(
      'flows not rendered: set ALIBABA_CLOUD_ACCOUNT_ID (and ZPL_REGION, default cn-hangzhou) or pass --account-id to render them for deployment',
    );
  }
  mkdirSync(join(opts.outDir, 'ram'), { recursive: true });
  for (const [role, doc] of Object.entries(ramPolicies({ region: opts.region, accountId: opts.accountId, eventBus: opts.eventBus }))) {
    const file = join(opts.outDir, 'ram', `${role}.json`);
    writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
    out.policies.push(file);
  }
  return out;
}

/**
 * The api bundle serves the OpenAPI document generated here, from the same schemas, instead of
 * generating it per request: shared/http/openapi.ts is replaced in the bundle by the packed
 * document (shared/http/openapi-packed.ts), so zod's JSON Schema generator stays out.
 */
function prebuiltOpenApi(): Plugin {
  const packed = packOpenApi(openApiDocument());
  return replaceModule(
    '../shared/http/openapi.ts',
    `import { unpackOpenApi } from './openapi-packed.ts';\nexport const openApiDocument = unpackOpenApi(${JSON.stringify(packed)});\n`,
  );
}

/**
 * The step table as the functions read it: each step's state, function, kind, deadline and flows.
 * The fields written for readers (`implementation`, `creates`, `undoneBy`) stay in the source and
 * out of every bundle (about 2 KiB each).
 */
function leanStepTable(): Plugin {
  const lean = STEPS.map((entry) => {
    const {
      implementation: _implementation,
      creates: _creates,
      undoneBy: _undoneBy,
      ...read
    } = entry as (typeof STEPS)[number] & {
      creates?: string;
      undoneBy?: string;
    };
    return read;
  });
  return replaceModule('../shared/steps/table.ts', `export const STEPS = ${JSON.stringify(lean)};\n`);
}

/** Bundles `contents` in place of the module at `file` (relative to this one). */
function replaceModule(file: string, contents: string): Plugin {
  const source = fileURLToPath(new URL(file, import.meta.url));
  return {
    name: `zpl-prebuilt-${file}`,
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, (args) => (args.path === source ? { contents, loader: 'ts', resolveDir: dirname(source) } : undefined));
    },
  };
}

const PAGE_SOURCE = fileURLToPath(new URL('../shared/page/app.ts', import.meta.url));
const PAGE_MODULE = './page.js';

/** A function's import of the status page stays an import of `page.js` beside its bundle, built on its own. */
function separatePage(): Plugin {
  return {
    name: 'zpl-separate-page',
    setup(b) {
      b.onResolve({ filter: /[\\/]page[\\/]app\.ts$/ }, (args) =>
        join(args.resolveDir, args.path) === PAGE_SOURCE ? { path: PAGE_MODULE, external: true } : undefined,
      );
    },
  };
}

/** The page module carries its files built once (shared/page/assets.ts), not the tools that build them. */
const prebuiltPageAssets = (assets: Awaited<ReturnType<typeof buildPageAssets>>) =>
  replaceModule('../shared/page/assets.ts', `const assets = ${JSON.stringify(assets)};\nexport const pageAssets = async () => assets;\n`);
