/**
 * `zpl doctor`'s answer: one line per check, each with what was found and, for a failure or a
 * warning, what to do. A failure means the run would stop there; a warning that it may, or that
 * the doctor could not tell without a write; `skip` that the check could not run (it reads as the
 * spec's role, and the role could not be taken on: the `assume-role` check says why).
 */
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';

export interface DoctorCheck {
  /** Stable, machine-readable: `account`, `privatelink.activated`, `quota.endpoints-per-vpc`, … */
  id: string;
  status: CheckStatus;
  detail: string;
  fix?: string;
}

export interface DoctorReport {
  linkId: string;
  /** No check failed (warnings allowed). */
  ok: boolean;
  counts: Record<CheckStatus, number>;
  checks: DoctorCheck[];
}

export const pass = (id: string, detail: string): DoctorCheck => ({ id, status: 'pass', detail });
export const warn = (id: string, detail: string, fix?: string): DoctorCheck => ({ id, status: 'warn', detail, ...(fix ? { fix } : {}) });
export const fail = (id: string, detail: string, fix: string): DoctorCheck => ({ id, status: 'fail', detail, fix });
export const skip = (id: string, detail: string): DoctorCheck => ({ id, status: 'skip', detail });

export function doctorReport(linkId: string, checks: DoctorCheck[]): DoctorReport {
  const counts = { pass: 0, warn: 0, fail: 0, skip: 0 };
  for (const c of checks) counts[c.status] += 1;
  return { linkId, ok: counts.fail === 0, counts, checks };
}
