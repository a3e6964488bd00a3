/** What the page's data routes answer (types only: the browser's code reads them too). */

export type LinkState = 'ready' | 'provisioning' | 'drifted' | 'failed' | 'removing' | 'removed';
export type TicketOutcome = 'pending' | 'succeeded' | 'failed' | 'refused';

export interface RunRef {
  flow: string;
  name: string;
  status: string;
  startedTime: string;
  stoppedTime?: string;
}

export interface Cause {
  step?: string;
  code: string;
  message: string;
}

export interface LinkView {
  linkId: string;
  state: LinkState;
  projectId?: string;
  region?: string;
  vpcId?: string;
  clusters: string[];
  endpoint?: { id: string; domain?: string; zones: { zoneId: string; ip: string }[] };
  securityGroupId?: string;
  dnsZoneId?: string;
  records: { clusterId: string; host: string; recordId: number }[];
  lastRun: RunRef;
  cause?: Cause;
  findings?: { kind: string; detail: string }[];
}

export interface DriftView {
  run: RunRef;
  checkedAt?: string;
  checked?: number;
  drifted?: number;
  links: { linkId: string; vpcId: string; findings: { kind: string; detail: string }[] }[];
}

export interface TicketView {
  ticketId: string;
  outcome: TicketOutcome;
  run: RunRef;
  linkId?: string;
  cause?: Cause;
}

export interface Overview {
  links: LinkView[];
  drift?: DriftView;
  tickets: TicketView[];
  executions: RunRef[];
}

export interface StateTiming {
  state: string;
  status: 'done' | 'running' | 'failed';
  /** From the run's start to the state's first entry, and from there to its last exit (or last event). */
  startedMs: number;
  elapsedMs: number;
  visits: number;
  text?: string;
}

export interface ExecutionView {
  run: RunRef;
  linkId?: string;
  /** The states the run is in now (a Map and its iteration's state; none once it ended). */
  active: string[];
  visited: string[];
  /** The state whose failure ended the run. */
  failedState?: string;
  states: StateTiming[];
  cause?: Cause;
}
