/** An error the emulated Alibaba API answers with: always `Code`, with the official HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly httpStatus = 400,
  ) {
    super(message);
  }
}

/** Gateway-level errors common to every RPC product (POP gateway wording). */
export const gatewayErrors = {
  missingParameter: (name: string) => new ApiError(`Missing${name}`, `${name} is mandatory for this action.`, 400),
  invalidParameter: (detail: string) => new ApiError('InvalidParameter', detail, 400),
  // A value outside a stated range/length/enum: POP answers 400 InvalidParameter, 'The specified
  // parameter "PageSize" is not valid.' (seen live: github.com/zhuchao941/canal2sql/issues/5 (Rds),
  // github.com/alibaba/alibaba.alicloud/issues/140 (Ecs)). The rule is appended for the reader.
  constraintViolated: (param: string, rule: string) =>
    new ApiError('InvalidParameter', `The specified parameter "${param}" is not valid (must be ${rule}).`, 400),
  unknownAction: () => new ApiError('InvalidAction.NotFound', 'Specified api is not found, please check your url and method.', 404),
  unknownVersion: () => new ApiError('InvalidVersion', 'Specified parameter Version is not valid.', 400),
  accessKeyNotFound: () => new ApiError('InvalidAccessKeyId.NotFound', 'Specified access key is not found.', 404),
  signatureMismatch: () => new ApiError('SignatureDoesNotMatch', 'Specified signature is not matched with our calculation.', 400),
  nonceUsed: () => new ApiError('SignatureNonceUsed', 'Specified signature nonce was used already.', 400),
  timestampExpired: () => new ApiError('InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.', 400),
  incompleteSignature: (what: string) =>
    new ApiError('IncompleteSignature', `The request signature does not conform to Aliyun standards: ${what}.`, 400),
  idempotentMismatch: () =>
    new ApiError('IdempotentParameterMismatch', 'The request uses the same client token as a previous, but non-identical request.', 400),
  throttling: () => new ApiError('Throttling.User', 'Request was denied due to user flow control.', 400),
};
