import { errorBrand } from '../error-brand.ts';

const ALIYUN_ERROR = errorBrand('AliyunError');

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
    ALIYUN_ERROR.mark(this);
  }

  /** Also an AliyunError thrown by run-as.js's copy of this class (error-brand.ts). */
  static override [Symbol.hasInstance](v: unknown): v is AliyunError {
    return ALIYUN_ERROR.is(v);
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

/**
 * Codes that mean "try again later" (cloud-facts §2), whatever the HTTP status:
 * - `Throttling*` (ECS, VPC, PrivateLink, PrivateZone flow control);
 * - `ResourceThrottled`: FnF's answer to a throttled call, HTTP 429 (fnf_2019-03-15 metadata,
 *   `errorCodes."429"` of StartExecution, DescribeExecution, ListExecutions, …);
 * - `ConcurrentCallNotSupported`: PrivateLink while another zone operation on the same endpoint
 *   runs (privatelink metadata, RemoveZonesFromVpcEndpoint: "不支持给同一个终端节点实例并发删除可用区";
 *   terraform-provider-alicloud retries it, `resource_alicloud_privatelink_vpc_endpoint_zone.go`).
 * Any HTTP 429 is flow control too, whatever its code.
 */
const RETRYABLE_CODE =
  /Throttling|ResourceThrottled|ConcurrentCallNotSupported|ServiceUnavailable|InternalError|System\.Busy|IdempotentProcessing|ConcurrentUpdate/i;

export function isRetryableCode(code: string, httpStatus?: number): boolean {
  return RETRYABLE_CODE.test(code) || (httpStatus !== undefined && (httpStatus === 429 || httpStatus >= 500));
}

export const isAliyunError = (e: unknown, code?: string | RegExp): e is AliyunError =>
  e instanceof AliyunError && (code === undefined || (typeof code === 'string' ? e.code === code : code.test(e.code)));
