import { Option, type Command } from 'commander';
import { doctorAsRun, type DoctorConnect } from '../../shared/doctor/run.ts';
import type { DoctorReport } from '../../shared/doctor/report.ts';
import { linkId } from '../../shared/derived.ts';
import type { LinkSpec } from '../../shared/spec.ts';
import type { RunAs } from '../../shared/steps/run-as-request.ts';
import type { StepDeps } from '../../shared/steps/types.ts';
import { readStackFile } from '../../local/stack.ts';
import { fail, specOrExit } from '../exit.ts';
import { jsonOption, profileOption, specFileOption, stateDirOption } from '../options.ts';
import { cloudReadDeps, stackTarget } from '../target.ts';

const MARK = { pass: '✓', warn: '!', fail: '✗', skip: '-' } as const;

/**
 * Where the checks read: the local stack (`zpl up`), or the real clouds with the shell's
 * credentials and ZILLIZ_API_KEY. No flow runs, so the flow targets of apply (`local`, `cloudflow`)
 * would read the same clouds as `aliyun`.
 */
const doctorTargetOption = () =>
  new Option('--target <where>', 'what to check: the running local stack, or the real clouds (ALIBABA_CLOUD_ACCESS_KEY_*, ZILLIZ_API_KEY)')
    .choices(['stack', 'aliyun'])
    .default('stack');

/**
 * The clients the checks read with, on `target`: as the spec's role when it names one (session
 * `zpl-doctor-<linkId>`, as `zpl plan` takes `zpl-plan-<linkId>`), with the command's own key.
 */
function connectFor(
  target: string,
  spec: LinkSpec,
  stateDir: string,
  profile: string | undefined,
): { connect: DoctorConnect; where: string; session: string } {
  const session = `zpl-doctor-${linkId(spec)}`;
  const runAs: RunAs | undefined = spec.assumeRole && { ...spec.assumeRole, execution: session };
  let build: (runAs: RunAs | undefined) => StepDeps;
  let where: string;
  if (target === 'aliyun') {
    build = (role) => cloudReadDeps(spec.region, profile, role);
    where = `Alibaba Cloud ${spec.region} and Zilliz Cloud`;
  } else {
    // The stack signs with the key it was started with (its stack file): a profile has nothing to choose there.
    if (profile) throw new Error('--profile applies to --target aliyun only: the local stack signs with its own key (zpl up)');
    const file = readStackFile(stateDir);
    if (file.region !== spec.region) throw new Error(`the local stack emulates ${file.region}; the spec asks for ${spec.region}`);
    build = (role) => stackTarget(file).deps(undefined, role);
    where = 'the local stack';
  }
  const connect: DoctorConnect = async (asRole) => {
    const deps = build(asRole ? runAs : undefined);
    // The role's session now, so a refusal is one check rather than every check's. The command's
    // own key is not asked for here: without one, the account check fails naming the fix and the
    // Zilliz checks still run.
    if (asRole) await deps.aliyun.transport.credentials();
    return deps;
  };
  return { connect, where, session };
}

function print(spec: LinkSpec, where: string, report: DoctorReport): void {
  console.log(`zpl doctor: link ${report.linkId} (${spec.projectId}, ${spec.region}, ${spec.vpcId}) on ${where}; reads and dry runs only`);
  const width = Math.max(...report.checks.map((c) => c.id.length));
  for (const c of report.checks) {
    console.log(`  ${MARK[c.status]} ${c.id.padEnd(width)}  ${c.detail}`);
    if (c.fix) console.log(`    ${' '.repeat(width)}  fix: ${c.fix}`);
  }
  const { pass, warn, fail: failed, skip } = report.counts;
  const notRun = skip ? `, ${skip} not run` : '';
  console.log(
    failed
      ? `${failed} of ${report.checks.length} checks failed${warn ? `, ${warn} warning(s)` : ''}${notRun}: the run would stop; fix them and run zpl doctor again.`
      : `${pass} checks passed${warn ? `, ${warn} warning(s)` : ''}: ready for zpl apply.`,
  );
}

/**
 * `zpl doctor`: a read-only preflight of the account and the Zilliz key for a spec, as the run
 * would act (a spec's `assumeRole` is taken on first); exit 1 when a check fails.
 */
export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('check, reading only, that the account and the Zilliz key can run a link spec: one line per check with its fix')
    .addOption(specFileOption())
    .addOption(jsonOption())
    .addOption(stateDirOption())
    .addOption(doctorTargetOption())
    .addOption(profileOption())
    .action(async (opts: { file: string; json?: boolean; stateDir: string; target: string; profile?: string }) => {
      const spec = specOrExit(opts.file);
      try {
        const { connect, where, session } = connectFor(opts.target, spec, opts.stateDir, opts.profile);
        const report = await doctorAsRun(spec, connect, session);
        if (opts.json) console.log(JSON.stringify(report, null, 2));
        else print(spec, where, report);
        process.exitCode = report.ok ? 0 : 1;
      } catch (e) {
        await fail(e);
      }
    });
}
