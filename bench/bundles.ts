import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAll } from '../cli/build.ts';

/**
 * Each function's bundle beside its unbundled equivalent: bytes, and start-up in fresh Node
 * processes. The unbundled figure loads the same entry from source through tsx, so it includes
 * compiling TypeScript, as running from the repo would.
 *
 * Start-up is wall time of the machine the bench runs on, so it is a figure here, never a test.
 * Each figure is the best of several runs: other processes on the machine only ever add time, so
 * the least of a few runs is the steadiest estimate of a bundle's own cost.
 *
 * The goal is held on `init`: the handler module's load, timed inside a fresh Node process that
 * loads it from a file as FC's runtime loads `index.js` — what a cold start adds to a bare Node
 * process. It is loaded from a script file, not `node -e`: under `-e` Node has already loaded
 * `node:crypto` and the streams before the first line runs, so a bundle would not be charged for
 * them. The whole-process comparison (`node probe.js` against `node empty.js`, wall and CPU time)
 * is printed beside it; it carries process start and exit, ~80 ms here, whose noise between runs
 * (±10 ms on a busy two-core machine) is as large as the figure measured.
 */
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The median of `runs` samples. */
const medianOf = (runs: number, sample: () => number) => median(Array.from({ length: runs }, sample));

/** What each bundle is held to: its size, and its init (the handler module's load) over bare Node. */
export const BUNDLE_GOAL = { kib: 100, initMs: 15 } as const;

/** Runs per figure: `ZPL_BENCH_RUNS`, default 9. */
export const benchRuns = () => Number(process.env.ZPL_BENCH_RUNS ?? 9);

/** What a `node ARGS` process prints as its last line, as a number (its own load time: see `timed`). */
const printed = (args: string[]): number => Number(execFileSync(process.execPath, args, { encoding: 'utf8' }).trim().split('\n').at(-1));

/** `LOAD`, then the ms it took, printed by the process itself. */
const timed = (load: string) => `const t=process.hrtime.bigint();${load};console.log(Number(process.hrtime.bigint()-t)/1e6)`;

/** A script file in `dir` that runs `code` (Node loads it as FC's runtime loads a handler: from a file). */
function script(dir: string, name: string, code: string): string {
  const file = join(dir, `${name}.js`);
  writeFileSync(file, code);
  return file;
}

/**
 * One process as its parent sees it, `node FILE` where FILE runs LOAD: wall time from spawn to
 * exit, and the CPU time (user + system, all threads) it reports for itself at the end.
 */
function run(file: string): { wallMs: number; cpuMs: number } {
  const t = process.hrtime.bigint();
  const cpuMs = printed([file]);
  return { wallMs: Number(process.hrtime.bigint() - t) / 1e6, cpuMs };
}

const cpuAtExit = ';const u=process.cpuUsage();console.log((u.user+u.system)/1000)';

export interface BundleFigure {
  name: string;
  bytes: number;
  sourceBytes: number;
  /** `require(bundle)` timed inside a fresh process started from a script file (best of the runs): the goal's figure. */
  initMs: number;
  /** Wall time of `node probe.js` (requiring the bundle) over `node empty.js` (both printing their CPU time), start-up and exit included; best of each. */
  overBareMs: number;
  /** The same in CPU time (user + system, all threads), as each process reports it for itself. */
  overBareCpuMs: number;
  /** From source through tsx (median). */
  unbundledInitMs?: number;
  packages: Record<string, number>;
}

export async function measureBundles(
  runs = benchRuns(),
  unbundled: string[] = ['zpl-validate', 'api'],
): Promise<{ bundles: BundleFigure[]; bareMs: number }> {
  const out = mkdtempSync(join(tmpdir(), 'zpl-bundles-'));
  const built = await buildAll({ outDir: out });
  const probes = mkdtempSync(join(tmpdir(), 'zpl-probes-'));
  const bare = script(probes, 'bare', cpuAtExit.slice(1));
  // Each bundle's best against the best of the bare runs interleaved with its own: as many of each.
  const samples = built.functions.map(() => ({
    wallMs: Infinity,
    cpuMs: Infinity,
    initMs: Infinity,
    bareWallMs: Infinity,
    bareCpuMs: Infinity,
  }));
  for (let i = 0; i < runs; i++) {
    built.functions.forEach((f, k) => {
      const file = JSON.stringify(join(out, 'functions', f.name, 'index.js'));
      const b = run(bare);
      const loaded = run(script(probes, `${f.name}-loaded`, `require(${file})${cpuAtExit}`));
      const init = printed([script(probes, `${f.name}-init`, timed(`require(${file})`))]);
      const s = samples[k]!;
      s.bareWallMs = Math.min(s.bareWallMs, b.wallMs);
      s.bareCpuMs = Math.min(s.bareCpuMs, b.cpuMs);
      s.wallMs = Math.min(s.wallMs, loaded.wallMs);
      s.cpuMs = Math.min(s.cpuMs, loaded.cpuMs);
      s.initMs = Math.min(s.initMs, init);
    });
  }
  const bundles = built.functions.map((f, k): BundleFigure => {
    const s = samples[k]!;
    const figure: BundleFigure = { ...f, initMs: s.initMs, overBareMs: s.wallMs - s.bareWallMs, overBareCpuMs: s.cpuMs - s.bareCpuMs };
    if (unbundled.includes(f.name)) {
      const entry = join(process.cwd(), 'functions', f.name, 'index.ts');
      figure.unbundledInitMs = medianOf(runs, () =>
        printed(['--import', 'tsx', '--input-type=module', '-e', timed(`await import(${JSON.stringify(entry)})`)]),
      );
    }
    return figure;
  });
  return { bundles, bareMs: median(samples.map((s) => s.bareWallMs)) };
}

/** The bundle section of `npm run bench` (alone: `npm run bench:bundles`): measures, prints, returns the figures. */
export async function printBundles(row: (k: string, v: unknown) => string): Promise<BundleFigure[]> {
  const { bundles, bareMs: bare } = await measureBundles();
  const goal = `goal ≤ ${BUNDLE_GOAL.kib} KiB, init ≤ ${BUNDLE_GOAL.initMs} ms over bare Node`;
  console.log(
    `\nfunction bundles (esbuild, minified CommonJS; ${goal}; best of ${benchRuns()} fresh processes each, wall time of this machine)`,
  );
  console.log(row('bare node (an empty script)', `${bare.toFixed(1)} ms per process`));
  const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
  const ms = (n: number) => `${n >= 0 ? '+' : ''}${n.toFixed(1)} ms`;
  for (const b of bundles) {
    const unbundled = b.unbundledInitMs === undefined ? '' : `; from source via tsx ${b.unbundledInitMs.toFixed(0)} ms`;
    const met = b.bytes <= BUNDLE_GOAL.kib * 1024 && b.initMs <= BUNDLE_GOAL.initMs ? 'within goal' : 'OVER GOAL';
    console.log(
      row(
        b.name,
        `${kib(b.bytes)}, init ${b.initMs.toFixed(1)} ms: ${met}; whole process ${ms(b.overBareMs)} over bare node (CPU ${ms(b.overBareCpuMs)})${unbundled}`,
      ),
    );
    const top = Object.entries(b.packages)
      .slice(0, 4)
      .map(([p, n]) => `${p} ${(n / 1024).toFixed(0)} KiB`);
    console.log(row('', `  sources ${kib(b.sourceBytes)}; ${top.join(', ')}`));
  }
  const range = (xs: number[], f: (n: number) => string) => `${f(Math.min(...xs))} to ${f(Math.max(...xs))}`;
  const sizes = range(
    bundles.map((b) => b.bytes),
    kib,
  );
  const inits = range(
    bundles.map((b) => b.initMs),
    (n) => `${n.toFixed(1)} ms`,
  );
  const starts = range(
    bundles.map((b) => b.overBareMs),
    ms,
  );
  console.log(row('all bundles', `${sizes}; init ${inits} (${goal}); whole process ${starts} over bare node`));
  return bundles;
}
