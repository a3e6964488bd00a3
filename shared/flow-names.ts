/** Names of the deployed flows (kept apart from shared/flows.ts, which reads files: functions bundle only this). */
export const PROVISION_FLOW = 'zpl-provision';
export const DRIFT_FLOW = 'zpl-drift';
export const TEARDOWN_FLOW = 'zpl-teardown';
/** One execution per request that joined a run someone else started: it answers that requester (flows/follow.yaml). */
export const FOLLOW_FLOW = 'zpl-follow';
/** Taking existing resources over for a link (shared/adopt/). */
export const ADOPT_FLOW = 'zpl-adopt';
/** `POST /v1/doctor`: the doctor's checks, run where the steps' permissions are (flows/doctor.yaml). */
export const DOCTOR_FLOW = 'zpl-doctor';
