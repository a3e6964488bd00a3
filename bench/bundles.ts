import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAll } from '../cli/build.ts';

/**
 * Each function's bundle beside its unbundled equivalent: bytes, and start-up in fresh Node
 * processes (medians of repeated runs). The unbundled figure loads the same entry from source
 * through tsx, so it includes compiling TypeScript, as running from the repo would.
 *
 * Start-up is wall time of the machine the bench runs on, so it is a figure here, never a test.
 * Each bundle's process is paired with a bare one started just before it, and the figure is the
 * median of the pairs' differences: load on a shared machine shifts both of a pair alike.
 */
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The median of `runs` samples. */
const medianOf = (runs: number, sample: () => number) => median(Array.from({ length: runs }, sample));

/** What each bundle is held to (issue 13): its size, and its start-up over bare Node. */
export const BUNDLE_GOAL = { kib: 100, overBareMs: 15 } as const;

/** Runs per figure: `ZPL_BENCH_RUNS`, default 7. */
export const benchRuns = () => Number(process.env.ZPL_BENCH_RUNS ?? 7);

/** What the process itself prints as its last line: its own load time in ms (see `timed`). */
const initMs = (args: string[], runs: number): number =>
  medianOf(runs, () => Number(execFileSync(process.execPath, args, { encoding: 'utf8' }).trim().split('\n').at(-1)));

/**
 * One process as its parent sees it, `node -e LOAD;…`: wall time from spawn to exit, and the CPU
 * time (user + system, all threads) it reports for itself at the end.
 */
function run(load: string): { wallMs: number; cpuMs: number } {
  const t = process.hrtime.bigint();
  const out = execFileSync(process.execPath, ['-e', `${load};const u=process.cpuUsage();console.log((u.user+u.system)/1000)`], {
    encoding: 'utf8',
  });
  return { wallMs: Number(process.hrtime.bigint() - t) / 1e6, cpuMs: Number(out.trim().split('\n').at(-1)) };
}

export interface BundleFigure {
  name: string;
  bytes: number;
  sourceBytes: number;
  /** `require(bundle)` inside a fresh process (median). */
  initMs: number;
  /** Wall time of `node -e 'require(bundle)'` over bare `node -e ''`, start-up included (median of paired runs). */
  overBareMs: number;
  /** The same in CPU time (user + system), which a busy machine disturbs less than wall time. */
  overBareCpuMs: number;
  unbundledInitMs?: number;
  packages: Record<string, number>;
}

/** `node -e ''` (printing its CPU time, as each bundle's process does): wall time, median. */
export const bareNodeMs = (runs = benchRuns()) => medianOf(runs, () => run('').wallMs);

export async function measureBundles(runs = benchRuns(), unbundled: string[] = ['zpl-validate', 'api']): Promise<BundleFigure[]> {
  const out = mkdtempSync(join(tmpdir(), 'zpl-bundles-'));
  const built = await buildAll({ outDir: out });
  return built.functions.map((f) => {
    const file = join(out, 'functions', f.name, 'index.js');
    const timed = (load: string) => `const t=process.hrtime.bigint();${load};console.log(Number(process.hrtime.bigint()-t)/1e6)`;
    const wall: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < runs; i++) {
      const bare = run('');
      const loaded = run(`require(${JSON.stringify(file)})`);
      wall.push(loaded.wallMs - bare.wallMs);
      cpu.push(loaded.cpuMs - bare.cpuMs);
    }
    const figure: BundleFigure = {
      ...f,
      initMs: initMs(['-e', timed(`require(${JSON.stringify(file)})`)], runs),
      overBareMs: median(wall),
      overBareCpuMs: median(cpu),
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

/** The bundle section of `npm run bench` (alone: `npm run bench:bundles`): measures, prints, returns the figures. */
export async function printBundles(row: (k: string, v: unknown) => string): Promise<BundleFigure[]> {
  const bundles = await measureBundles();
  const bare = bareNodeMs();
  const goal = `goal ≤ ${BUNDLE_GOAL.kib} KiB, ≤ +${BUNDLE_GOAL.overBareMs} ms over bare Node`;
  console.log(
    `\nfunction bundles (esbuild, minified CommonJS; ${goal}; medians of ${benchRuns()} fresh processes, wall time of this machine)`,
  );
  console.log(row("bare node (node -e '')", `${bare.toFixed(1)} ms per process`));
  const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
  const ms = (n: number) => `${n >= 0 ? '+' : ''}${n.toFixed(1)} ms`;
  for (const b of bundles) {
    const unbundled = b.unbundledInitMs === undefined ? '' : `; from source via tsx ${b.unbundledInitMs.toFixed(0)} ms`;
    const met = b.bytes <= BUNDLE_GOAL.kib * 1024 && b.overBareMs <= BUNDLE_GOAL.overBareMs ? 'within goal' : 'OVER GOAL';
    console.log(
      row(
        b.name,
        `${kib(b.bytes)}, init ${b.initMs.toFixed(1)} ms, ${ms(b.overBareMs)} over bare node (CPU ${ms(b.overBareCpuMs)}): ${met}${unbundled}`,
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
  const starts = range(
    bundles.map((b) => b.overBareMs),
    ms,
  );
  console.log(row('all bundles', `${sizes}; ${starts} over bare node (${goal})`));
  return bundles;
}
