import { isAliyunError } from './errors.ts';
import type { AliyunTransport } from './rpc.ts';
import { RAM } from './catalog/ram.ts';

/**
 * RAM's answer for a role that does not exist: `EntityNotExist.Role`, HTTP 404 (ram_2015-05-01.json
 * lists no error codes; the code is the one terraform-provider-alicloud's
 * alicloud/resource_alicloud_ram_role.go takes as "gone").
 */
export const ROLE_MISSING = 'EntityNotExist.Role';

/** RAM 2015-05-01, read only. */
export class RamApi {
  constructor(
    private readonly rpc: AliyunTransport,
    private readonly region: string,
  ) {
    rpc.use('Ram', RAM);
  }

  /** The role, or undefined when the account has none of that name. */
  async role(roleName: string) {
    try {
      return (await this.rpc.call('Ram', 'GetRole', this.region, { RoleName: roleName })).Role;
    } catch (e) {
      if (isAliyunError(e, ROLE_MISSING)) return undefined;
      throw e;
    }
  }
}
