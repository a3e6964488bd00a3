/** A failed Zilliz Cloud control-plane call. `code` is Zilliz's envelope code (e.g. 96018). */
export class ZillizError extends Error {
  readonly operation: string;
  readonly code: number | string;
  readonly httpStatus: number | undefined;
  readonly requestId: string | undefined;
  readonly retryable: boolean;

  constructor(init: { operation: string; code: number | string; message: string; httpStatus?: number; requestId?: string; retryable: boolean }) {
    super(`Zilliz ${init.operation} failed: ${init.code}: ${init.message}${init.requestId ? ` (requestid ${init.requestId})` : ''}`);
    this.name = 'ZillizError';
    this.operation = init.operation;
    this.code = init.code;
    this.httpStatus = init.httpStatus;
    this.requestId = init.requestId;
    this.retryable = init.retryable;
  }

  toJSON() {
    return { operation: this.operation, code: this.code, message: this.message, httpStatus: this.httpStatus, requestId: this.requestId, retryable: this.retryable };
  }
}

/** Documented codes (cloud-facts §1). */
export const ZILLIZ_CODES = {
  invalidRegion: 96001,
  invalidProject: 96005,
  invalidPageSize: 96008,
  clusterNotFound: 96018,
  planNotEligible: 96028,
} as const;

export const isZillizError = (e: unknown, code?: number): e is ZillizError =>
  e instanceof ZillizError && (code === undefined || e.code === code);
