import { linkId } from '../derived.ts';
import { parseEvent, type FcEventHandler } from '../fc-context.ts';
import { parseLinkSpec } from '../spec.ts';
import { permanentFailure } from '../steps/handler.ts';
import { depsFromEnvironment, stepLogger } from '../steps/runtime.ts';
import type { Failure } from '../steps/types.ts';
import type { DoctorReport } from './report.ts';
import { doctorAsRun } from './run.ts';

const STEP = 'Doctor';

/** What the doctor's function answers the flow: every field present, `outcome` for its Choice. */
export interface DoctorReply {
  outcome: 'done' | 'failed';
  report: DoctorReport | null;
  failed: Failure | null;
}

const failedReply = (failed: Failure): DoctorReply => ({ outcome: 'failed', report: null, failed });

/**
 * The doctor flow's one step (`POST /v1/doctor`): the checks for the execution's spec with the
 * function's own key (the steps' role, which holds the reads the run makes), and with a spec's
 * `assumeRole` as that role, through the steps' own run-as path (the deployment's allowlist, the
 * session named after the execution). A check's refusal is part of the report; only what keeps
 * the doctor from running at all (no Zilliz key, a bad spec) fails the run.
 */
export const doctorHandler: FcEventHandler = async (event, context): Promise<DoctorReply> => {
  const body = parseEvent(event) as { input?: { spec?: unknown }; execution?: unknown };
  const parsed = parseLinkSpec(body.input?.spec);
  if (!parsed.ok)
    return failedReply({
      step: STEP,
      code: 'Spec.Invalid',
      message: parsed.errors.map((e) => `${e.field || '(spec)'}: ${e.message}`).join('; '),
    });
  const spec = parsed.spec;
  const execution = typeof body.execution === 'string' && body.execution ? body.execution : `zpl-doctor-${linkId(spec)}`;
  const log = stepLogger(STEP, context).child({ link: linkId(spec) });
  const runAs = spec.assumeRole && { ...spec.assumeRole, execution };
  try {
    const report = await doctorAsRun(
      spec,
      (asRole) => depsFromEnvironment(context, log, process.env, undefined, asRole ? runAs : undefined),
      execution,
    );
    log.info('doctor.done', { ok: report.ok, ...report.counts });
    return { outcome: 'done', report, failed: null };
  } catch (e) {
    const failed = permanentFailure(STEP, e);
    if (!failed) throw e;
    log.warn('doctor.failed', { code: failed.code, message: failed.message });
    return failedReply(failed);
  }
};
