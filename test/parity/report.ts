import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CaseResult, Finding } from './compare.ts';
import { writeSnapshot, type Snapshot } from './snapshot.ts';

/** The parity report, written as `report.json` and `report.md` with both sides' snapshots beside them. */
export interface ParityReport {
  target: string;
  expectedSource: string;
  mode: Snapshot['mode'];
  summary: Record<CaseResult['status'], number> & { findings: number };
  results: CaseResult[];
  /** The files written. */
  files: string[];
}

export function writeReport(
  dir: string,
  run: { target: string; expectedSource: string; mode: Snapshot['mode']; results: CaseResult[]; actual: Snapshot; expected?: Snapshot },
): ParityReport {
  const out = resolve(dir);
  mkdirSync(out, { recursive: true });
  const summary = { matched: 0, differed: 0, 'not-run': 0, unrecorded: 0, findings: 0 };
  for (const r of run.results) {
    summary[r.status] += 1;
    summary.findings += r.findings.length;
  }
  const files = [join(out, 'report.json'), join(out, 'report.md'), join(out, `snapshot-${run.actual.target}.json`)];
  const report: ParityReport = {
    target: run.target,
    expectedSource: run.expectedSource,
    mode: run.mode,
    summary,
    results: run.results,
    files,
  };
  writeSnapshot(files[2]!, run.actual);
  if (run.expected) {
    files.push(join(out, 'snapshot-expected.json'));
    writeSnapshot(files[3]!, run.expected);
  }
  writeFileSync(files[0]!, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(files[1]!, markdown(report));
  return report;
}

const cell = (v: unknown) => (v === undefined ? '' : `\`${typeof v === 'string' ? v : JSON.stringify(v)}\``.replace(/\|/g, '\\|'));

function markdown(r: ParityReport): string {
  const s = r.summary;
  const lines = [
    '# zpl parity report',
    '',
    `- target: ${r.target}`,
    `- expected: ${r.expectedSource}`,
    `- mode: ${r.mode.endpoint ? 'write with an endpoint' : r.mode.write ? 'write' : 'read-only'}`,
    `- cases: ${s.matched} matched, ${s.differed} differed, ${s.unrecorded} with nothing recorded to compare (own checks passed), ${s['not-run']} not run; ${s.findings} findings`,
    '',
    '| case | status | calls | findings |',
    '| --- | --- | --- | --- |',
    ...r.results.map((c) => `| ${c.id} | ${c.status}${c.reason ? ` (${c.reason})` : ''} | ${c.calls} | ${c.findings.length} |`),
  ];
  for (const c of r.results.filter((x) => x.findings.length > 0)) {
    lines.push(
      '',
      `## ${c.id}: ${c.title}`,
      '',
      '| call | kind | side | path | expected | actual | detail |',
      '| --- | --- | --- | --- | --- | --- | --- |',
    );
    lines.push(
      ...c.findings.map(
        (f: Finding) =>
          `| ${f.call ?? ''} | ${f.kind} | ${f.side ?? ''} | ${cell(f.path)} | ${cell(f.expected)} | ${cell(f.actual)} | ${f.detail ?? ''} |`,
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}
