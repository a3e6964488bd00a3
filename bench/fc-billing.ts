import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { FlowEvent } from '../local/engine/store.ts';

/**
 * Prices as Alibaba lists them, and FC 3.0 metering as Alibaba documents it: each invocation
 * costs its configured vCPU and memory for its whole duration, sleeping included ("vCPU usage:
 * a function's vCPU specification × its execution duration", help.aliyun.com/en/functioncompute/
 * fc/monitoring-metrics-1). The sizes come from s.yaml, so the bench bills what is deployed.
 */
// CloudFlow Standard: USD 0.25 per 10,000 state transitions. FC 3.0: USD 0.00002 per CU;
// 75 CU per 10,000 invocations, 1 CU per vCPU-second, 0.15 CU per GB-second (list prices).
export const USD_PER_TRANSITION = 0.25 / 10_000;
const USD_PER_CU = 0.00002;
const CU_PER_INVOCATION = 75 / 10_000;
const CU_PER_VCPU_SECOND = 1;
const CU_PER_GB_SECOND = 0.15;
/** For display only: prices are list prices in USD. */
export const CNY_PER_USD = 7.2;

export interface FunctionSize {
  cpu: number;
  memoryMb: number;
}

/** functionName → configured size, from s.yaml (YAML merge keys resolved as Serverless Devs does). */
export function functionSizes(file = 's.yaml'): Map<string, FunctionSize> {
  const doc = parse(readFileSync(file, 'utf8'), { merge: true }) as {
    resources: Record<string, { component: string; props: { functionName?: string; cpu?: number; memorySize?: number } }>;
  };
  const sizes = new Map<string, FunctionSize>();
  for (const r of Object.values(doc.resources)) {
    const p = r.props;
    if (r.component !== 'fc3' || !p.functionName) continue;
    if (typeof p.cpu !== 'number' || typeof p.memorySize !== 'number')
      throw new Error(`s.yaml: ${p.functionName} has no cpu and memorySize: the bench cannot bill it`);
    sizes.set(p.functionName, { cpu: p.cpu, memoryMb: p.memorySize });
  }
  return sizes;
}

export interface FcBill {
  invocations: number;
  /** Sum of the invocations' durations (emulated). */
  seconds: number;
  vcpuSeconds: number;
  gbSeconds: number;
  usd: number;
}

const FUNCTION = /functions\/([^/]+)/;

/** Bills every FC task of an execution history: from TaskStarted to its end, at the invoked function's size. */
export function billTasks(events: FlowEvent[], sizes: Map<string, FunctionSize>): FcBill {
  const invoked = new Map<number, FunctionSize>();
  const started = new Map<number, number>();
  const bill = { invocations: 0, seconds: 0, vcpuSeconds: 0, gbSeconds: 0 };
  for (const e of events) {
    if (e.Type === 'TaskScheduled') {
      const detail = JSON.parse(e.EventDetail) as { resource?: string; resourceArn?: string };
      if (detail.resource !== 'FC:InvokeFunction') continue;
      const name = FUNCTION.exec(detail.resourceArn ?? '')?.[1] ?? '';
      const size = sizes.get(name);
      if (!size) throw new Error(`${e.StepName} invokes ${name || 'a function'} that s.yaml does not size`);
      invoked.set(e.EventId, size);
    }
    if (e.Type === 'TaskStarted' && invoked.has(e.ScheduleEventId!)) started.set(e.ScheduleEventId!, Date.parse(e.Time));
    if (['TaskSucceeded', 'TaskFailed', 'TaskTimedOut'].includes(e.Type) && started.has(e.ScheduleEventId!)) {
      const size = invoked.get(e.ScheduleEventId!)!;
      const seconds = (Date.parse(e.Time) - started.get(e.ScheduleEventId!)!) / 1000;
      started.delete(e.ScheduleEventId!);
      bill.invocations++;
      bill.seconds += seconds;
      bill.vcpuSeconds += seconds * size.cpu;
      bill.gbSeconds += seconds * (size.memoryMb / 1024);
    }
  }
  const cu = bill.invocations * CU_PER_INVOCATION + bill.vcpuSeconds * CU_PER_VCPU_SECOND + bill.gbSeconds * CU_PER_GB_SECOND;
  return { ...bill, usd: cu * USD_PER_CU };
}
