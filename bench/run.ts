import { mkdirSync, writeFileSync } from 'node:fs';
import { printBundles } from './bundles.ts';
import { measureDrift } from './drift-scale.ts';
import { measureJoined } from './joined-cost.ts';
import { measureProvision } from './provision-cost.ts';

/**
 * `npm run bench`: counts, emulated times and prices, the same on every run and machine (time is
 * event-driven), to bench/results.json. Only the bundles' init times are wall time of this
 * machine: printed, never written to the JSON.
 */
const row = (k: string, v: unknown) => `  ${k.padEnd(58)} ${v}`;
const usd = (n: number) => `USD ${n.toFixed(5)}`;

const p = await measureProvision();
console.log('provisioning, reference scenario (visible +60 s, Active +120 s, accepted +300 s, Connected +10 s; no injected latency)');
console.log(
  [
    row('status', p.status),
    row('CloudFlow state transitions (target ≤ 150)', p.stateTransitions),
    row('history events', p.events),
    row('FC invocations', p.fcInvocations),
    row('Alibaba calls / Zilliz calls', `${p.calls.alibaba} / ${p.calls.zilliz}`),
    row('of which status polls / writes', `${p.calls.polls} / ${p.calls.writes}`),
    row(
      'end-to-end (emulated) vs ideal (sum of cloud-side waits)',
      `${p.endToEndSeconds} s vs ${p.idealSeconds} s (${((p.endToEndSeconds / p.idealSeconds - 1) * 100).toFixed(0)}% over)`,
    ),
    ...p.lags.map((l) => row(`detection lag ${l.wait} (waited ${l.waitedSeconds} s)`, `${l.lagSeconds} s (allowed ${l.allowedSeconds} s)`)),
    row(
      'FC billed time (sum of invocations, sleeping included)',
      `${p.fc.seconds.toFixed(1)} s = ${p.fc.vcpuSeconds.toFixed(2)} vCPU-s + ${p.fc.gbSeconds.toFixed(2)} GB-s`,
    ),
    row(
      'cost per run (CloudFlow + FC, list prices)',
      `${usd(p.usd.total)} (CloudFlow ${usd(p.usd.cloudflow)}, FC ${usd(p.usd.fc)}) ≈ CNY ${p.cny.toFixed(4)}`,
    ),
  ].join('\n'),
);

const j = await measureJoined();
console.log('\none more requester: a second ticket joining the reference run, answered by its follower (flows/follow.yaml)');
console.log(
  [
    row('run / follower status', `${j.runStatus} / ${j.followerStatus}`),
    row(
      'follower state transitions / history events',
      `${j.stateTransitions} / ${j.events} (the run: ${j.run.stateTransitions} / ${j.run.events})`,
    ),
    row('looks at the run / CloudFlow calls about it', `${j.looks} / ${j.cloudflowCalls}`),
    row('FC invocations (billed time)', `${j.fc.invocations} (${j.fc.seconds.toFixed(1)} s)`),
    row("answer after the run's own", `${j.answerLagSeconds} s (run ${j.runSeconds} s; allowed max(60 s, 10%))`),
    row('cost per joined requester (CloudFlow + FC, list prices)', usd(j.usd)),
  ].join('\n'),
);

const links = Number(process.env.ZPL_BENCH_LINKS ?? 10_000);
const d = await measureDrift(links, { latencyMs: 50 });
console.log(`\nscheduled drift check through the drift flow (timer event → functions/drift → zpl-drift), ${links} links, 50 ms per call`);
console.log(
  [
    row('status', d.error ? `${d.status}: ${d.error.code} ${d.error.detail}` : d.status),
    row('managed links / checked / drifted', `${d.links} / ${d.report?.checked ?? 0} / ${d.drifted}`),
    row(`pages of up to ${d.report?.pageSize ?? '?'} links / failed`, `${d.pages} / ${d.pagesFailed}`),
    row('history events (CloudFlow limit 5,000)', d.events),
    row('largest state (CloudFlow limit 65,536 bytes)', `${d.largestStateBytes} bytes`),
    row('API calls', d.calls),
    row('calls per link', d.callsPerLink.toFixed(2)),
    row('state transitions / FC invocations', `${d.stateTransitions} / ${d.fc.invocations}`),
    row(
      'FC billed time (sum of invocations, at s.yaml sizes)',
      `${d.fc.seconds.toFixed(1)} s = ${d.fc.vcpuSeconds.toFixed(2)} vCPU-s + ${d.fc.gbSeconds.toFixed(2)} GB-s`,
    ),
    row('emulated time', `${d.emulatedSeconds.toFixed(1)} s`),
    row('cost per check (CloudFlow + FC, list prices)', usd(d.usd)),
  ].join('\n'),
);

const bundles = await printBundles(row);

mkdirSync('bench', { recursive: true });
const { report: _r, announced: _a, handledPerPage: _h, ...drift } = d;
const sizes = bundles.map(({ name, bytes, sourceBytes, packages }) => ({ name, bytes, sourceBytes, packages }));
writeFileSync(
  'bench/results.json',
  `${JSON.stringify({ at: new Date().toISOString(), provision: p, joined: j, drift, bundles: sizes }, null, 2)}\n`,
);
console.log('\nwrote bench/results.json');
