/** Every call the emulators received, for tests and benchmarks to count. */
export interface CallRecord {
  seq: number;
  /** Emulated time. */
  time: number;
  service: 'alibaba' | 'zilliz';
  /** Alibaba product or `zilliz`. */
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
}

export class CallLog {
  private seq = 0;
  readonly calls: CallRecord[] = [];

  record(call: Omit<CallRecord, 'seq'>): void {
    this.calls.push({ seq: ++this.seq, ...call });
    if (this.calls.length > 200_000) this.calls.splice(0, 100_000);
  }

  clear(): void {
    this.calls.length = 0;
  }
}
