import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { FUNCTIONS_DIR } from '../local/engine/index.ts';
import { ramPolicies, type PolicyScope } from '../deploy/policy.ts';
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
  /** Roles a link's `assumeRole` may name: granted as sts:AssumeRole to zpl-steps. */
  assumeRoles?: string[];
  /** The KMS secrets the functions read (s.yaml `vars.secret*`): the roles' policies grant exactly those. */
  secretNames?: PolicyScope['secretNames'];
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
  const plugins = [prebuiltOpenApi(), leanStepTable(), separateModules()];
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
    const imports = (module: string) => Object.values(result.metafile!.outputs).some((o) => o.imports.some((i) => i.path === module));
    // The status page's module (shared/http/page-route.ts loads it on the first /page request).
    if (imports(PAGE_MODULE)) {
      await bundle(PAGE_SOURCE, join(dir, PAGE_MODULE), [prebuiltPageAssets(await buildPageAssets())]);
      entry.pageBytes = statSync(join(dir, PAGE_MODULE)).size;
    }
    // A cross-account run's role session (shared/steps/runtime.ts loads it only for a spec with assumeRole).
    if (imports(RUN_AS_MODULE)) await bundle(RUN_AS_SOURCE, join(dir, RUN_AS_MODULE));
    // The OpenAPI document, prebuilt (the API loads it on the first GET /v1/openapi.json).
    if (imports(OPENAPI_MODULE)) await bundle(OPENAPI_SOURCE, join(dir, OPENAPI_MODULE));
    out.functions.push(entry);
  }
  if (opts.accountId && opts.region) {
    out.flows.push(
      ...writeRenderedFlows(join(opts.outDir, 'flows'), { region: opts.region, accountId: opts.accountId, eventBus: opts.eventBus }),
    );
    // Roles, the bus and its rule are not s deploy's (deploy/ram-roles.ts, deploy/eventbridge.ts).
    out.notes.push('next: zpl deploy (roles and policies, then s deploy, then the event bus and its rule; --plan prints the steps)');
  } else {
    out.notes.push('flows not rendered: no account ID (bundles and policies only)');
  }
  mkdirSync(join(opts.outDir, 'ram'), { recursive: true });
  for (const [role, doc] of Object.entries(
    ramPolicies({
      region: opts.region,
      accountId: opts.accountId,
      eventBus: opts.eventBus,
      secretNames: opts.secretNames,
      assumeRoles: opts.assumeRoles,
    }),
  )) {
    const file = join(opts.outDir, 'ram', `${role}.json`);
    writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
    out.policies.push(file);
  }
  return out;
}

/**
 * The api serves the OpenAPI document generated here, from the same schemas, instead of
 * generating it per request: shared/http/openapi.ts is replaced in its module (`openapi.js`) by the
 * packed document (shared/http/openapi-packed.ts), so zod's JSON Schema generator stays out.
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
const RUN_AS_SOURCE = fileURLToPath(new URL('../shared/steps/run-as.ts', import.meta.url));
const RUN_AS_MODULE = './run-as.js';
const OPENAPI_SOURCE = fileURLToPath(new URL('../shared/http/openapi.ts', import.meta.url));
const OPENAPI_MODULE = './openapi.js';

/**
 * A function's import of the status page, of a cross-account run's session module or of the
 * OpenAPI document stays an import of `page.js` / `run-as.js` / `openapi.js` beside its bundle,
 * each built on its own: code few invocations need is loaded by those alone.
 */
function separateModules(): Plugin {
  const separate = new Map([
    [PAGE_SOURCE, PAGE_MODULE],
    [RUN_AS_SOURCE, RUN_AS_MODULE],
    [OPENAPI_SOURCE, OPENAPI_MODULE],
  ]);
  return {
    name: 'zpl-separate-modules',
    setup(b) {
      b.onResolve({ filter: /(page[\\/]app|run-as|openapi)\.ts$/ }, (args) => {
        const module = args.kind === 'entry-point' ? undefined : separate.get(join(args.resolveDir, args.path));
        return module ? { path: module, external: true } : undefined;
      });
    },
  };
}

/** The page module carries its files built once (shared/page/assets.ts), not the tools that build them. */
const prebuiltPageAssets = (assets: Awaited<ReturnType<typeof buildPageAssets>>) =>
  replaceModule('../shared/page/assets.ts', `const assets = ${JSON.stringify(assets)};\nexport const pageAssets = async () => assets;\n`);
