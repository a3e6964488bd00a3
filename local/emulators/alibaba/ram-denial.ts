import { PRODUCTS, type Product } from '../../../shared/aliyun/products.ts';
import { ApiError } from '../../rpc/error.ts';

/**
 * What the services answer a RAM identity the policies do not allow an action, seeded per access
 * key (`deny` in the seed, RAM action names such as `privatelink:CreateVpcEndpoint`). RAM lists the
 * OpenAPI denial codes as `NoPermission`, `Forbidden.RAM` and `NotAuthorized`
 * (https://www.alibabacloud.com/help/en/ram/support/how-to-troubleshoot-an-access-denied-error).
 * The cloud products answer `Forbidden.RAM`, HTTP 403, "User not authorized to operate on the
 * specified resource, or this API doesn't support RAM." (ECS's notice of its Describe* change,
 * https://www.alibabacloud.com/help/en/ecs/announcement-of-changes-to-the-authentication-mechanism-for-alibaba-cloud-ecs-query-type-apis);
 * RAM and STS answer `NoPermission`, HTTP 403, "You are not authorized to do this action."
 * (sts_2015-04-01.json AssumeRole errorCodes["403"]; RAM's own answer quotes the resource and action:
 * github.com/alibaba-archive/fcli/issues/48). Checked after the request's parameters and before the
 * service's own checks, so a denied dry run never reaches `DryRunOperation`.
 */
const NO_PERMISSION_PRODUCTS: ReadonlySet<Product> = new Set(['Ram', 'Sts']);

export const ramAction = (product: Product, action: string) => `${PRODUCTS[product].ram}:${action}`;

export function refuseDenied(deny: ReadonlySet<string> | undefined, accountId: string, product: Product, action: string): void {
  const wanted = ramAction(product, action);
  if (!deny?.has(wanted)) return;
  if (NO_PERMISSION_PRODUCTS.has(product))
    throw new ApiError(
      'NoPermission',
      `You are not authorized to do this action. Resource: acs:${PRODUCTS[product].ram}:*:${accountId}:* Action: ${wanted}`,
      403,
    );
  throw new ApiError('Forbidden.RAM', "User not authorized to operate on the specified resource, or this API doesn't support RAM.", 403);
}
