import { spawn, type ChildProcess } from 'node:child_process';
import { parseArgs } from 'node:util';

/**
 * `npm run bench:tests [-- --runs N --load K]`: runs the suite (`vitest run`) N times in a row and
 * reports each run's wall time and counts; with `--load K`, K processes burn a CPU core each
 * meanwhile, as a loaded machine would. Measured, never asserted: the suite's outcome does not
 * depend on time (its clock is event-driven), only its duration does.
 */
const { values } = parseArgs({ options: { runs: { type: 'string', default: '1' }, load: { type: 'string', default: '0' } } });
const runs = Number(values.runs);
const load = Number(values.load);
if (!(runs >= 1) || !(load >= 0)) throw new Error('--runs must be ≥ 1 and --load ≥ 0');

const burners: ChildProcess[] = Array.from({ length: load }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
const results: { seconds: number; summary: string; ok: boolean }[] = [];
try {
  for (let i = 1; i <= runs; i++) {
    const started = performance.now();
    const { code, out } = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(process.execPath, ['node_modules/vitest/vitest.mjs', 'run'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      child.once('exit', (c) => resolve({ code: c, out }));
    });
    const seconds = (performance.now() - started) / 1000;
    const summary = /^tests: .*$/m.exec(out)?.[0] ?? 'no summary line';
    // Name what failed (vitest's FAIL lines), so a red run under load can be read afterwards.
    const failed = [
      ...new Set(
        out
          .replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'), '') // ANSI colours
          .split('\n')
          .filter((l) => /^ FAIL /.test(l))
          .map((l) => l.trim()),
      ),
    ];
    results.push({ seconds, summary, ok: code === 0 });
    console.log(
      `run ${i}/${runs}${load ? ` (${load} CPU burners beside it)` : ''}: ${seconds.toFixed(1)} s wall, exit ${code}, ${summary}`,
    );
    for (const f of failed) console.log(`  ${f}`);
  }
} finally {
  for (const b of burners) b.kill('SIGKILL');
}
const times = results.map((r) => r.seconds).sort((a, b) => a - b);
console.log(
  `\nsuite wall time over ${runs} run(s): min ${times[0]!.toFixed(1)} s, median ${times[Math.floor(times.length / 2)]!.toFixed(1)} s, max ${times.at(-1)!.toFixed(1)} s (goal: within 60 s on 2 cores); ${results.filter((r) => r.ok).length}/${runs} green`,
);
process.exitCode = results.every((r) => r.ok) ? 0 : 1;
