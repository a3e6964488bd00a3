import { isAliyunError, type AliyunError } from '../aliyun/errors.ts';
import { PRODUCTS, type Product } from '../aliyun/products.ts';
import { isZillizError } from '../zilliz/errors.ts';
import { StepFailure } from '../steps/types.ts';
import { fail, type DoctorCheck } from './report.ts';

/**
 * RAM's answers to an identity its policies do not allow: "NoPermission, Forbidden.RAM, and
 * NotAuthorized" (https://www.alibabacloud.com/help/en/ram/support/how-to-troubleshoot-an-access-denied-error).
 */
const RAM_DENIAL = /^(NoPermission|Forbidden\.RAM|NotAuthorized)$/;

export const isRamDenial = (e: unknown): e is AliyunError => isAliyunError(e, RAM_DENIAL);

/** The RAM action a failed call needed (`privatelink:CreateVpcEndpoint`). */
export const ramActionOf = (e: AliyunError) => `${PRODUCTS[e.product as Product]?.ram ?? e.product.toLowerCase()}:${e.action}`;

export const grantFix = (action: string) =>
  `allow ${action} for this identity (dist/ram/zpl-steps.json, from npm run build, holds every action the run needs)`;

/**
 * A check's read that a vendor refused: a RAM denial names the action to grant; any other refusal
 * its code and message. A crash (not a vendor's answer) is thrown.
 */
export function refusedCheck(id: string, e: unknown): DoctorCheck {
  if (isRamDenial(e)) return fail(id, `denied: this identity may not call ${ramActionOf(e)} (${e.code})`, grantFix(ramActionOf(e)));
  if (e instanceof StepFailure) return fail(id, e.message, 'see the message');
  if (isAliyunError(e)) return fail(id, `${e.product}.${e.action} answered ${e.code}: ${e.message}`, 'see the vendor code above');
  if (isZillizError(e))
    return fail(id, `Zilliz ${e.operation} answered ${e.code}: ${e.detail}`, 'check ZILLIZ_API_KEY and the Zilliz project');
  throw e;
}
