import * as z from 'zod';
import type { Clock } from '../../shared/clock.ts';

/**
 * Faults injected per action (Alibaba action names, Zilliz operation names, FnF action names on
 * the local engine's API, or `*`). An Alibaba action name alone hits that action in every product;
 * `Product.Action` (`Ecs.TagResources`, `Privatelink.TagResources`) only that product's, since two
 * products share some names. An error for the next N calls, or for a stretch of emulated
 * time (`forMs`: ten minutes of throttling), added latency, or a lost reply (the change is
 * applied but the caller never hears back). A probability makes storms instead of a fixed count.
 */
export const faultSchema = z.object({
  target: z.string().min(1),
  kind: z.enum(['error', 'latency', 'lostReply']),
  /** How many matching calls it affects; omitted means every call until cleared. */
  count: z.number().int().positive().optional(),
  probability: z.number().min(0).max(1).default(1),
  code: z.string().optional(),
  message: z.string().optional(),
  // 200 is allowed: Zilliz reports errors in the envelope with HTTP 200.
  httpStatus: z.number().int().min(200).max(599).optional(),
  /** For latency, in emulated ms. */
  latencyMs: z.number().int().nonnegative().optional(),
  /** Affects calls for this long (emulated ms) after it is added, then ends by itself. */
  forMs: z.number().int().positive().optional(),
  /** Only calls whose parameters carry these values (one cluster, one security group). */
  match: z.record(z.string(), z.string()).optional(),
});
export type Fault = z.output<typeof faultSchema> & { until?: number };
export type FaultInput = z.input<typeof faultSchema>;

/** A call as faults see it: its action, and for Alibaba its product. */
export type FaultTarget = string | { product?: string; action: string };

function hits(target: string, call: FaultTarget): boolean {
  if (target === '*') return true;
  if (typeof call === 'string') return target === call;
  return target === call.action || (call.product !== undefined && target === `${call.product}.${call.action}`);
}

export class FaultBook {
  private faults: Fault[] = [];
  private state = 0x2f6b1d3;

  /** The clock `forMs` windows run on (the emulators'). */
  constructor(private readonly clock?: Clock) {}

  add(input: FaultInput): void {
    const fault: Fault = faultSchema.parse(input);
    if (fault.forMs !== undefined) {
      if (!this.clock) throw new Error('a fault with forMs needs a FaultBook with a clock');
      fault.until = this.clock.now() + fault.forMs;
    }
    this.faults.push(fault);
  }

  clear(): void {
    this.faults = [];
  }

  list(): Fault[] {
    return [...this.faults];
  }

  /**
   * The faults that fire for this call, consuming their counts. Latencies add up; of the
   * error and lost-reply faults only the first matching one fires, so queued faults play in order.
   */
  take(call: FaultTarget, params: Record<string, unknown> = {}): Fault[] {
    const fired: Fault[] = [];
    let outcome = false;
    const now = this.clock?.now();
    this.faults = this.faults.filter((f) => f.until === undefined || now === undefined || now < f.until);
    for (const fault of this.faults) {
      if (!hits(fault.target, call)) continue;
      if (fault.match && Object.entries(fault.match).some(([k, v]) => String(params[k]) !== v)) continue;
      if (fault.kind !== 'latency' && outcome) continue;
      if (fault.probability < 1 && this.random() >= fault.probability) continue;
      if (fault.kind !== 'latency') outcome = true;
      fired.push(fault);
      if (fault.count !== undefined) fault.count -= 1;
    }
    this.faults = this.faults.filter((f) => f.count === undefined || f.count > 0);
    return fired;
  }

  /**
   * Plays this call's faults: sleeps the injected latency on the emulated clock, then tells
   * the server whether to fail (and how) or to apply the change and drop the reply.
   */
  async apply(call: FaultTarget, clock: Clock, params?: Record<string, unknown>): Promise<{ error?: Fault; lostReply: boolean }> {
    const fired = this.take(call, params);
    for (const f of fired) if (f.kind === 'latency') await clock.sleep(f.latencyMs ?? 1000);
    return { error: fired.find((f) => f.kind === 'error'), lostReply: fired.some((f) => f.kind === 'lostReply') };
  }

  /** Deterministic (xorshift) so a storm replays the same way. */
  private random(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state / 0x1_0000_0000;
  }
}
