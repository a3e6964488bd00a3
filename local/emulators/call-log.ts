/** Every call the emulators received, for tests and benchmarks to count. */
export interface CallRecord {
  seq: number;
  /** Emulated time. */
  time: number;
  service: 'alibaba' | 'zilliz' | 'fnf';
  /** Alibaba product, `zilliz`, or `fnf` (the local engine's FnF API, which keeps its own log). */
  product: string;
  action: string;
  ok: boolean;
  code?: string;
  httpStatus: number;
  /** Who called: AccessKeyId or a Zilliz key's project scope, never a secret. */
  caller?: string;
  /** Parameters as decoded (without signature fields). */
  params?: Record<string, unknown>;
  fault?: string;
  /** The answer's size in bytes (the local engine's FnF API records it, so a client's traffic can be measured). */
  responseBytes?: number;
}

type Service = CallRecord['service'];
const perService = () => ({ alibaba: 0, zilliz: 0, fnf: 0 });

export class CallLog {
  private seq = 0;
  readonly calls: CallRecord[] = [];
  /**
   * Concurrency as the servers see it: calls being served now, the most served at once, and how
   * many arrived (a call counts here when it arrives; it is logged above when it is answered).
   */
  readonly inFlight = perService();
  readonly peak = perService();
  readonly arrived = perService();

  private readonly listeners = new Set<(call: CallRecord) => void>();

  record(call: Omit<CallRecord, 'seq'>): void {
    const entry = { seq: ++this.seq, ...call };
    this.calls.push(entry);
    if (this.calls.length > 200_000) this.calls.splice(0, 100_000);
    for (const l of [...this.listeners]) l(entry);
  }

  /** Calls `listener` with each call as it is recorded (before its reply is sent); returns an unsubscribe. */
  onRecord(listener: (call: CallRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A call arrives at a server; the function returned marks it answered (or abandoned). */
  begin(service: Service): () => void {
    this.arrived[service] += 1;
    this.inFlight[service] += 1;
    this.peak[service] = Math.max(this.peak[service], this.inFlight[service]);
    let ended = false;
    return () => {
      if (!ended) this.inFlight[service] -= 1;
      ended = true;
    };
  }

  clear(): void {
    this.calls.length = 0;
    Object.assign(this.peak, this.inFlight);
  }
}
