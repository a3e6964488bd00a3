import { Option, type Command } from 'commander';
import { runDoctor } from '../../shared/doctor/run.ts';
import type { DoctorReport } from '../../shared/doctor/report.ts';
import type { LinkSpec } from '../../shared/spec.ts';
import type { StepDeps } from '../../shared/steps/types.ts';
import { readStackFile } from '../../local/stack.ts';
import { fail, specOrExit } from '../exit.ts';
import { jsonOption, specFileOption, stateDirOption } from '../options.ts';
import { cloudReadDeps, stackTarget } from '../target.ts';

const MARK = { pass: '✓', warn: '!', fail: '✗' } as const;

/**
 * Where the checks read: the local stack (`zpl up`), or the real clouds with the shell's
 * credentials and ZILLIZ_API_KEY. No flow runs, so the flow targets of apply (`local`, `cloudflow`)
 * would read the same clouds as `aliyun`.
 */
const doctorTargetOption = () =>
  new Option('--target <where>', 'what to check: the running local stack, or the real clouds (ALIBABA_CLOUD_ACCESS_KEY_*, ZILLIZ_API_KEY)')
    .choices(['stack', 'aliyun'])
    .default('stack');

function depsFor(target: string, spec: LinkSpec, stateDir: string): { deps: StepDeps; where: string } {
  if (target === 'aliyun') return { deps: cloudReadDeps(spec.region), where: `Alibaba Cloud ${spec.region} and Zilliz Cloud` };
  const file = readStackFile(stateDir);
  if (file.region !== spec.region) throw new Error(`the local stack emulates ${file.region}; the spec asks for ${spec.region}`);
  return { deps: stackTarget(file).deps(), where: 'the local stack' };
}

function print(spec: LinkSpec, where: string, report: DoctorReport): void {
  console.log(`zpl doctor: link ${report.linkId} (${spec.projectId}, ${spec.region}, ${spec.vpcId}) on ${where}; reads and dry runs only`);
  const width = Math.max(...report.checks.map((c) => c.id.length));
  for (const c of report.checks) {
    console.log(`  ${MARK[c.status]} ${c.id.padEnd(width)}  ${c.detail}`);
    if (c.fix) console.log(`    ${' '.repeat(width)}  fix: ${c.fix}`);
  }
  const { pass, warn, fail: failed } = report.counts;
  console.log(
    failed
      ? `${failed} of ${report.checks.length} checks failed${warn ? `, ${warn} warning(s)` : ''}: the run would stop; fix them and run zpl doctor again.`
      : `${pass} checks passed${warn ? `, ${warn} warning(s)` : ''}: ready for zpl apply.`,
  );
}

/** `zpl doctor`: a read-only preflight of the account and the Zilliz key for a spec; exit 1 when a check fails. */
export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('check, reading only, that the account and the Zilliz key can run a link spec: one line per check with its fix')
    .addOption(specFileOption())
    .addOption(jsonOption())
    .addOption(stateDirOption())
    .addOption(doctorTargetOption())
    .action(async (opts: { file: string; json?: boolean; stateDir: string; target: string }) => {
      const spec = specOrExit(opts.file);
      try {
        const { deps, where } = depsFor(opts.target, spec, opts.stateDir);
        const report = await runDoctor(spec, deps);
        if (opts.json) console.log(JSON.stringify(report, null, 2));
        else print(spec, where, report);
        process.exitCode = report.ok ? 0 : 1;
      } catch (e) {
        await fail(e);
      }
    });
}
