import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Flows, executions and their event histories, kept on disk under a state directory so other
 * processes (the CLI) see them and a restarted engine can resume what was running. Records are
 * rewritten atomically (write then rename); events are appended one JSON line each.
 */

export type ExecutionStatus = 'Starting' | 'Running' | 'Stopped' | 'Succeeded' | 'Failed' | 'TimedOut';
export const FINISHED: ReadonlySet<ExecutionStatus> = new Set(['Stopped', 'Succeeded', 'Failed', 'TimedOut']);

export interface FlowRecord {
  Id: string;
  Name: string;
  Definition: string;
  Description: string;
  Type: string;
  RoleArn: string;
  ExecutionMode: string;
  CreatedTime: string;
  LastModifiedTime: string;
}

/** Where a running execution stands at the top level, so a restarted engine re-enters that state. */
export interface Cursor {
  state: string;
  input: unknown;
  global: Record<string, unknown>;
  /** Set while a Wait state sleeps: when it ends (engine clock, ms). */
  waitUntil?: number;
}

export interface ExecutionRecord {
  flowName: string;
  name: string;
  status: ExecutionStatus;
  definition: string;
  input: string;
  output?: string;
  error?: { code: string; detail: string };
  startedTime: string;
  stoppedTime?: string;
  cursor?: Cursor;
  eventCount: number;
}

export interface FlowEvent {
  EventId: number;
  ScheduleEventId?: number;
  StepName: string;
  Type: string;
  Time: string;
  EventDetail: string;
}

const safe = (name: string) => {
  if (!/^[A-Za-z_][A-Za-z0-9_-]{0,127}$/.test(name)) throw new Error(`unsafe name ${JSON.stringify(name)}`);
  return name;
};

export class EngineStore {
  private readonly flows = new Map<string, FlowRecord>();
  private readonly executions = new Map<string, ExecutionRecord>();
  private readonly events = new Map<string, FlowEvent[]>();

  /** @param dir state directory; without one everything stays in memory. */
  constructor(private readonly dir?: string) {
    if (dir) this.load(dir);
  }

  private key = (flow: string, execution: string) => `${flow}/${execution}`;

  private load(dir: string) {
    const flowsDir = join(dir, 'flows');
    if (existsSync(flowsDir)) {
      for (const f of readdirSync(flowsDir).filter((f) => f.endsWith('.json'))) {
        const flow = JSON.parse(readFileSync(join(flowsDir, f), 'utf8')) as FlowRecord;
        this.flows.set(flow.Name, flow);
      }
    }
    const execDir = join(dir, 'executions');
    if (!existsSync(execDir)) return;
    for (const flowName of readdirSync(execDir)) {
      for (const f of readdirSync(join(execDir, flowName)).filter((f) => f.endsWith('.json'))) {
        const rec = JSON.parse(readFileSync(join(execDir, flowName, f), 'utf8')) as ExecutionRecord;
        const k = this.key(rec.flowName, rec.name);
        this.executions.set(k, rec);
        const eventsFile = join(execDir, flowName, `${rec.name}.events.jsonl`);
        const lines = existsSync(eventsFile) ? readFileSync(eventsFile, 'utf8').split('\n').filter(Boolean) : [];
        // A torn last line (killed mid-write) is dropped; the record's count is what counts.
        const events: FlowEvent[] = [];
        for (const line of lines) {
          try {
            events.push(JSON.parse(line) as FlowEvent);
          } catch {
            break;
          }
        }
        this.events.set(k, events);
        rec.eventCount = events.length;
      }
    }
  }

  private write(path: string, value: unknown) {
    const tmp = `${path}.tmp-${process.pid}`;
    writeFileSync(tmp, `${JSON.stringify(value, null, 1)}\n`);
    renameSync(tmp, path);
  }

  saveFlow(flow: FlowRecord) {
    this.flows.set(flow.Name, flow);
    if (!this.dir) return;
    mkdirSync(join(this.dir, 'flows'), { recursive: true });
    this.write(join(this.dir, 'flows', `${safe(flow.Name)}.json`), flow);
  }

  flow(name: string): FlowRecord | undefined {
    return this.flows.get(name);
  }

  allFlows(): FlowRecord[] {
    return [...this.flows.values()].sort((a, b) => a.Name.localeCompare(b.Name));
  }

  saveExecution(rec: ExecutionRecord) {
    const k = this.key(rec.flowName, rec.name);
    this.executions.set(k, rec);
    if (!this.events.has(k)) this.events.set(k, []);
    if (!this.dir) return;
    const d = join(this.dir, 'executions', safe(rec.flowName));
    mkdirSync(d, { recursive: true });
    this.write(join(d, `${safe(rec.name)}.json`), rec);
  }

  execution(flow: string, name: string): ExecutionRecord | undefined {
    return this.executions.get(this.key(flow, name));
  }

  /** A flow's executions, oldest first. */
  executionsOf(flow: string): ExecutionRecord[] {
    return [...this.executions.values()]
      .filter((e) => e.flowName === flow)
      .sort((a, b) => a.startedTime.localeCompare(b.startedTime) || a.name.localeCompare(b.name));
  }

  running(): ExecutionRecord[] {
    return [...this.executions.values()].filter((e) => !FINISHED.has(e.status));
  }

  appendEvent(rec: ExecutionRecord, event: FlowEvent) {
    const k = this.key(rec.flowName, rec.name);
    const list = this.events.get(k) ?? [];
    list.push(event);
    this.events.set(k, list);
    if (this.dir)
      appendFileSync(join(this.dir, 'executions', safe(rec.flowName), `${safe(rec.name)}.events.jsonl`), `${JSON.stringify(event)}\n`);
  }

  history(flow: string, name: string): FlowEvent[] {
    return this.events.get(this.key(flow, name)) ?? [];
  }
}
