/** A failed Zilliz Cloud control-plane call. `code` is Zilliz's envelope code (e.g. 96018). */
export class ZillizError extends Error {
  readonly operation: string;
  readonly code: number | string;
  readonly httpStatus: number | undefined;
  readonly requestId: string | undefined;
  readonly retryable: boolean;
  /** Zilliz's own message, without the operation and code prefix. */
  readonly detail: string;

  constructor(init: {
    operation: string;
    code: number | string;
    message: string;
    httpStatus?: number;
    requestId?: string;
    retryable: boolean;
  }) {
    super(`Zilliz ${init.operation} failed: ${init.code}: ${init.message}${init.requestId ? ` (requestid ${init.requestId})` : ''}`);
    this.name = 'ZillizError';
    this.operation = init.operation;
    this.code = init.code;
    this.httpStatus = init.httpStatus;
    this.requestId = init.requestId;
    this.retryable = init.retryable;
    this.detail = init.message;
  }

  toJSON() {
    return {
      operation: this.operation,
      code: this.code,
      message: this.message,
      httpStatus: this.httpStatus,
      requestId: this.requestId,
      retryable: this.retryable,
    };
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

/**
 * Codes Zilliz answers a repeated allowlisting with. None is documented (the v2 error-code list
 * has no whitelist entry, and the Terraform provider treats the POST as plain add-only), so the
 * list is empty until one is seen; the wording below covers the answers meanwhile.
 */
export const ALLOWLIST_REPEAT_CODES: readonly number[] = [];

/**
 * "Already allowlisted", in either site's language: the global site words errors in English
 * ("already …"), the China site may answer in Chinese (已存在 / 已添加 / 已在 / 重复).
 */
const REPEAT_WORDING = /\balready\b|已(经)?(存在|添加|加入|在)|重复/i;

export function isAllowlistRepeat(e: unknown): boolean {
  if (!(e instanceof ZillizError) || e.retryable) return false;
  if (typeof e.code === 'number' && ALLOWLIST_REPEAT_CODES.includes(e.code)) return true;
  return REPEAT_WORDING.test(e.detail);
}
