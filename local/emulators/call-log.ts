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

export class CallLog {
  private seq = 0;
  readonly calls: CallRecord[] = [];

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

  clear(): void {
    this.calls.length = 0;
  }
}
