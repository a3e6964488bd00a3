import { stepHandler } from '../../shared/steps/handler.ts';
import { deleteSecurityGroup } from '../../shared/steps/delete-security-group.ts';

export const handler = stepHandler('DeleteSecurityGroup', deleteSecurityGroup);
