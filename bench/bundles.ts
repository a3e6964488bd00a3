import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAll } from '../cli/build.ts';

/**
 * Each function's bundle beside its unbundled equivalent: bytes, and module initialisation in
 * a fresh Node process (median of repeated runs). The unbundled figure loads the same entry from
 * source through tsx, so it includes compiling TypeScript, as running from the repo would.
 */
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The median of `runs` samples. */
const medianOf = (runs: number, sample: () => number) => median(Array.from({ length: runs }, sample));

/** What the process itself prints as its last line: its own load time in ms (see `timed`). */
const initMs = (args: string[], runs: number): number =>
  medianOf(runs, () => Number(execFileSync(process.execPath, args, { encoding: 'utf8' }).trim().split('\n').at(-1)));

export interface BundleFigure {
  name: string;
  bytes: number;
  sourceBytes: number;
  initMs: number;
  /** Wall time of `node -e 'require(bundle)'`, start-up included; compare with bareNodeMs(). */
  processMs: number;
  unbundledInitMs?: number;
  packages: Record<string, number>;
}

/** Wall time of a whole `node ARGS` process as its parent sees it (median): start-up included. */
const processMs = (args: string[], runs: number): number =>
  medianOf(runs, () => {
    const t = process.hrtime.bigint();
    execFileSync(process.execPath, args);
    return Number(process.hrtime.bigint() - t) / 1e6;
  });

/** `node -e ''`: the bare Node each bundle's process is compared with ("+N ms over bare Node"). */
export const bareNodeMs = (runs = 5) => processMs(['-e', ''], runs);

export async function measureBundles(runs = 5, unbundled: string[] = ['zpl-validate', 'api']): Promise<BundleFigure[]> {
  const out = mkdtempSync(join(tmpdir(), 'zpl-bundles-'));
  const built = await buildAll({ outDir: out });
  return built.functions.map((f) => {
    const file = join(out, 'functions', f.name, 'index.js');
    const timed = (load: string) => `const t=process.hrtime.bigint();${load};console.log(Number(process.hrtime.bigint()-t)/1e6)`;
    const figure: BundleFigure = {
      ...f,
      initMs: initMs(['-e', timed(`require(${JSON.stringify(file)})`)], runs),
      processMs: processMs(['-e', `require(${JSON.stringify(file)})`], runs),
    };
    if (unbundled.includes(f.name)) {
      const entry = join(process.cwd(), 'functions', f.name, 'index.ts');
      figure.unbundledInitMs = initMs(
        ['--import', 'tsx', '--input-type=module', '-e', timed(`await import(${JSON.stringify(entry)})`)],
        runs,
      );
    }
    return figure;
  });
}
