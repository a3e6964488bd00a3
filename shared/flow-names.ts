/** Names of the deployed flows (kept apart from shared/flows.ts, which reads files: functions bundle only this). */
export const PROVISION_FLOW = 'zpl-provision';
export const DRIFT_FLOW = 'zpl-drift';
export const TEARDOWN_FLOW = 'zpl-teardown';
