import { PRIVATELINK_SERVICE_LINKED_ROLE } from '../../../../shared/steps/prerequisites.ts';
import { type Handler, fail } from '../handler.ts';

/**
 * RAM GetRole for the roles the emulated accounts hold: PrivateLink's service-linked role, present
 * unless the account's seed says otherwise (`privateLinkServiceLinkedRole`). Answer fields as
 * ram_2015-05-01.json GetRole states them; a role the account lacks is `EntityNotExist.Role`, 404
 * (the metadata lists no codes; terraform-provider-alicloud alicloud/resource_alicloud_ram_role.go
 * takes that code as "gone"). The ARN's form is this emulator's (role names in lower case).
 */
export const getRole: Handler = (ctx, p) => {
  const name = String(p.RoleName ?? '');
  if (name === '') return fail('MissingRoleName', 'RoleName is mandatory for this action.');
  const account = ctx.world.accounts.get(ctx.accountId);
  // RAM role names are case-insensitive (ARNs spell them in lower case).
  if (name.toLowerCase() !== PRIVATELINK_SERVICE_LINKED_ROLE.toLowerCase() || account?.privateLinkServiceLinkedRole === false)
    return fail('EntityNotExist.Role', `The role does not exist: ${name}.`, 404);
  return {
    Role: {
      RoleName: name,
      RoleId: `3${ctx.accountId.slice(-15).padStart(15, '0')}`,
      Arn: `acs:ram::${ctx.accountId}:role/${name.toLowerCase()}`,
      Description: 'PrivateLink service-linked role',
      MaxSessionDuration: 3600,
      CreateDate: '2024-01-01T00:00:00Z',
      UpdateDate: '2024-01-01T00:00:00Z',
    },
  };
};
