import type { LinkSpec } from '../spec.ts';

/**
 * The step table: every state of the flows that invokes one of our functions, once, in run order.
 * Progress, the function handlers and the tests read it; test/steps-table.test.ts holds
 * flows/*.yaml and s.yaml to it, so a step missing here (or there) fails a test instead of
 * silently vanishing from progress.
 *
 * It names each step's implementation as `module#export` rather than importing it, so a
 * function's bundle carries only its own step (the table is type-only otherwise); and the build
 * bundles it without the fields written for readers (`implementation`, `creates`, `undoneBy`:
 * cli/build.ts `leanStepTable`), which no function reads.
 */

/** `act` changes or checks once; `wait` is polled by a Choice → Wait loop until done or its deadline; `report` ends a run. */
export type StepKind = 'act' | 'wait' | 'report';

export type FlowName = 'provision' | 'teardown' | 'drift' | 'follow' | 'adopt' | 'doctor';

export interface StepEntry {
  /** The Task state's Name in the flow (also `Change.step` and `Failure.step`). */
  readonly state: string;
  /** The FC function the Task invokes (`functions/<fn>/`, `s.yaml`'s functionName). */
  readonly fn: string;
  /** Where the code lives, `<path from the repo root>#<export>`. */
  readonly implementation: string;
  readonly kind: StepKind;
  /** For a wait: the spec field bounding it, or `run` for a follower, bounded by the run it follows (follow-pacing.ts). */
  readonly deadline?: keyof LinkSpec['deadlines'] | 'run';
  /** The flows that run it, in whose order the table lists it. */
  readonly flows: readonly FlowName[];
  /** What it leaves behind, for the reader. */
  readonly creates?: string;
  /** The teardown step that removes what it creates. */
  readonly undoneBy?: string;
}

export const STEPS = [
  { state: 'Validate', fn: 'zpl-validate', implementation: 'shared/steps/validate.ts#validate', kind: 'act', flows: ['provision'] },
  // Teardown leaves the account allowlisted (no teardown step undoes it).
  {
    state: 'Allowlist',
    fn: 'zpl-allowlist',
    implementation: 'shared/steps/allowlist.ts#allowlist',
    kind: 'act',
    flows: ['provision'],
    creates: "the account on Zilliz's endpoint-service allowlist",
  },
  {
    state: 'CheckService',
    fn: 'zpl-check-service',
    implementation: 'shared/steps/check-service.ts#checkService',
    kind: 'wait',
    deadline: 'serviceVisibleSeconds',
    flows: ['provision'],
  },
  {
    state: 'EnsureSecurityGroup',
    fn: 'zpl-ensure-security-group',
    implementation: 'shared/steps/ensure-security-group.ts#ensureSecurityGroup',
    kind: 'act',
    flows: ['provision'],
    creates: 'the security group of the endpoint',
    undoneBy: 'DeleteSecurityGroup',
  },
  {
    state: 'EnsureEndpoint',
    fn: 'zpl-ensure-endpoint',
    implementation: 'shared/steps/ensure-endpoint.ts#ensureEndpoint',
    kind: 'act',
    flows: ['provision'],
    creates: 'the PrivateLink endpoint',
    undoneBy: 'DeleteEndpoint',
  },
  {
    state: 'CheckEndpoint',
    fn: 'zpl-check-endpoint',
    implementation: 'shared/steps/check-endpoint.ts#checkEndpoint',
    kind: 'wait',
    deadline: 'endpointActiveSeconds',
    flows: ['provision'],
  },
  {
    state: 'RegisterEndpoint',
    fn: 'zpl-register-endpoint',
    implementation: 'shared/steps/register-endpoint.ts#registerEndpoint',
    kind: 'act',
    flows: ['provision'],
    creates: 'the endpoint registered with Zilliz',
    undoneBy: 'DeregisterEndpoint',
  },
  {
    state: 'CheckConnection',
    fn: 'zpl-check-connection',
    implementation: 'shared/steps/check-connection.ts#checkConnection',
    kind: 'wait',
    deadline: 'connectionSeconds',
    flows: ['provision'],
  },
  {
    state: 'EnsureDns',
    fn: 'zpl-ensure-dns',
    implementation: 'shared/steps/ensure-dns.ts#ensureDns',
    kind: 'act',
    flows: ['provision'],
    creates: 'the private zone, its records and its VPC binding',
    undoneBy: 'RemoveDns',
  },
  { state: 'Verify', fn: 'zpl-verify', implementation: 'shared/steps/verify.ts#verify', kind: 'act', flows: ['provision'] },
  {
    state: 'TeardownPlan',
    fn: 'zpl-teardown-plan',
    implementation: 'shared/steps/teardown-plan.ts#teardownPlan',
    kind: 'act',
    flows: ['teardown'],
  },
  // Teardown's steps wait on endpointActiveSeconds (shared/spec.ts budgets it three times).
  {
    state: 'RemoveDns',
    fn: 'zpl-remove-dns',
    implementation: 'shared/steps/remove-dns.ts#removeDns',
    kind: 'wait',
    deadline: 'endpointActiveSeconds',
    flows: ['teardown'],
  },
  {
    state: 'DeregisterEndpoint',
    fn: 'zpl-deregister-endpoint',
    implementation: 'shared/steps/deregister-endpoint.ts#deregisterEndpoint',
    kind: 'act',
    flows: ['teardown'],
  },
  {
    state: 'DeleteEndpoint',
    fn: 'zpl-delete-endpoint',
    implementation: 'shared/steps/delete-endpoint.ts#deleteEndpoint',
    kind: 'wait',
    deadline: 'endpointActiveSeconds',
    flows: ['teardown'],
  },
  {
    state: 'DeleteSecurityGroup',
    fn: 'zpl-delete-security-group',
    implementation: 'shared/steps/delete-security-group.ts#deleteSecurityGroup',
    kind: 'wait',
    deadline: 'endpointActiveSeconds',
    flows: ['teardown'],
  },
  {
    state: 'Report',
    fn: 'zpl-report',
    implementation: 'shared/steps/handler.ts#reportHandler',
    kind: 'report',
    flows: ['provision', 'teardown'],
  },
  // A request that joined someone else's run is answered by a follower (flows/follow.yaml): it waits for the run, then notifies.
  {
    state: 'FollowRun',
    fn: 'zpl-follow',
    implementation: 'shared/steps/follow-run.ts#followRun',
    kind: 'wait',
    deadline: 'run',
    flows: ['follow'],
  },
  {
    state: 'Notify',
    fn: 'zpl-notify',
    implementation: 'shared/steps/notify.ts#notify',
    kind: 'report',
    flows: ['provision', 'follow'],
  },
  // Existing resources taken over for a link (flows/adopt.yaml), shown first, marked when confirmed.
  { state: 'Adopt', fn: 'zpl-adopt', implementation: 'shared/steps/adopt.ts#adoptStep', kind: 'act', flows: ['adopt'] },
  {
    state: 'PlanAdoption',
    fn: 'zpl-adopt-plan',
    implementation: 'shared/steps/adopt.ts#planAdoptionStep',
    kind: 'act',
    flows: ['adopt'],
  },
  // POST /v1/doctor's checks (flows/doctor.yaml), under the steps' role and as the spec's assumeRole: reads and dry runs only.
  { state: 'Doctor', fn: 'zpl-doctor', implementation: 'shared/doctor/handler.ts#doctorHandler', kind: 'act', flows: ['doctor'] },
  // The drift flow pages through the fleet (shared/drift/paging.ts): plan, one page at a time, add up.
  {
    state: 'Discover',
    fn: 'zpl-drift-discover',
    implementation: 'shared/drift/handlers.ts#driftDiscover',
    kind: 'act',
    flows: ['drift'],
  },
  { state: 'CheckPage', fn: 'zpl-drift-page', implementation: 'shared/drift/handlers.ts#driftPage', kind: 'act', flows: ['drift'] },
  { state: 'Reprovision', fn: 'zpl-remediate', implementation: 'shared/drift/handlers.ts#remediate', kind: 'act', flows: ['drift'] },
  {
    state: 'Summarize',
    fn: 'zpl-drift-summary',
    implementation: 'shared/drift/handlers.ts#driftSummary',
    kind: 'report',
    flows: ['drift'],
  },
] as const satisfies readonly StepEntry[];
