import { randomBytes } from 'node:crypto';
import { FINISHED_STATUSES, type CloudFlowApi, type Execution } from '../aliyun/cloudflow.ts';
import { linkId } from '../derived.ts';
import { DOCTOR_FLOW } from '../flow-names.ts';
import type { LinkSpec } from '../spec.ts';
import type { Failure } from '../steps/types.ts';
import type { DoctorReply } from './handler.ts';
import type { DoctorReport } from './report.ts';

/**
 * `POST /v1/doctor` and `GET /v1/doctor/{execution}`: a doctor run is an execution of the doctor
 * flow (flows/doctor.yaml). It only reads, so each request starts one of its own, named after the
 * link, the time and a random part; none joins another.
 */
export async function startDoctorRun(flows: CloudFlowApi, spec: LinkSpec, now: number): Promise<Execution> {
  const name = `${linkId(spec)}-d${now.toString(36)}-${randomBytes(4).toString('hex')}`;
  return flows.start(DOCTOR_FLOW, name, { spec, source: 'api' });
}

/** A doctor run as the API answers it: still running, done with the report, or failed (why, when the step said). */
export type DoctorRunStatus = { execution: string; startedTime: string; stoppedTime?: string } & (
  { status: 'pending' } | { status: 'done'; report: DoctorReport } | { status: 'failed'; failed?: Pick<Failure, 'code' | 'message'> }
);

export async function doctorRunStatus(flows: CloudFlowApi, name: string): Promise<DoctorRunStatus> {
  const e = await flows.describe(DOCTOR_FLOW, name);
  const base = { execution: e.Name, startedTime: e.StartedTime, ...(e.StoppedTime ? { stoppedTime: e.StoppedTime } : {}) };
  if (!FINISHED_STATUSES.has(e.Status)) return { ...base, status: 'pending' };
  const output = e.Output ? (JSON.parse(e.Output) as Partial<DoctorReply>) : {};
  if (e.Status === 'Succeeded' && output.report) return { ...base, status: 'done', report: output.report };
  // A failed run's reason is the Doctor step's output (its Fail state passes on no output).
  const exited = (await flows.history(DOCTOR_FLOW, name)).filter((h) => h.Type === 'StepExited' && h.StepName === 'Doctor').at(-1);
  const failed = exited && (JSON.parse(exited.EventDetail || '{}') as { output?: Partial<DoctorReply> }).output?.failed;
  return { ...base, status: 'failed', ...(failed ? { failed: { code: failed.code, message: failed.message } } : {}) };
}
