import { measureDrift } from './drift-scale.ts';

/** `npm run bench`: counts, not timings of this (shared, noisy) machine. */
const links = Number(process.env.ZPL_BENCH_LINKS ?? 1000);
const clean = await measureDrift(links, { latencyMs: 50, throttleProbability: 0.02, concurrency: 16 });
const rows = [
  ['managed links', clean.links],
  ['drifted', clean.drifted],
  ['API calls (Alibaba + Zilliz, incl. throttled retries)', clean.calls],
  ['calls per link', clean.callsPerLink.toFixed(2)],
  ['emulated time (50 ms per call, 2% throttled, 16 links at a time)', `${clean.emulatedSeconds.toFixed(1)} s`],
  ['real time here', `${(clean.realMs / 1000).toFixed(1)} s`],
];
console.log(`drift check at scale\n${rows.map(([k, v]) => `  ${String(k).padEnd(56)} ${v}`).join('\n')}`);
console.log(JSON.stringify({ bench: 'drift', ...Object.fromEntries(Object.entries(clean).filter(([k]) => k !== 'report')) }));
