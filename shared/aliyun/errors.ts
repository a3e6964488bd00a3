/** A failed Alibaba Cloud call, with everything needed to act on it and nothing secret. */
export class AliyunError extends Error {
  readonly product: string;
  readonly action: string;
  readonly code: string;
  readonly requestId: string | undefined;
  readonly httpStatus: number | undefined;
  readonly retryable: boolean;

  constructor(init: {
    product: string;
    action: string;
    code: string;
    message: string;
    requestId?: string;
    httpStatus?: number;
    retryable: boolean;
  }) {
    super(`${init.product}.${init.action} failed: ${init.code}: ${init.message}${init.requestId ? ` (RequestId ${init.requestId})` : ''}`);
    this.name = 'AliyunError';
    this.product = init.product;
    this.action = init.action;
    this.code = init.code;
    this.requestId = init.requestId;
    this.httpStatus = init.httpStatus;
    this.retryable = init.retryable;
  }

  toJSON() {
    return {
      product: this.product,
      action: this.action,
      code: this.code,
      message: this.message,
      requestId: this.requestId,
      httpStatus: this.httpStatus,
      retryable: this.retryable,
    };
  }
}

/** Codes that mean "try again later" (cloud-facts §2), whatever the HTTP status. */
const RETRYABLE_CODE = /Throttling|ServiceUnavailable|InternalError|System\.Busy|IdempotentProcessing|ConcurrentUpdate/i;

export function isRetryableCode(code: string, httpStatus?: number): boolean {
  return RETRYABLE_CODE.test(code) || (httpStatus !== undefined && httpStatus >= 500);
}

export const isAliyunError = (e: unknown, code?: string | RegExp): e is AliyunError =>
  e instanceof AliyunError && (code === undefined || (typeof code === 'string' ? e.code === code : code.test(e.code)));
