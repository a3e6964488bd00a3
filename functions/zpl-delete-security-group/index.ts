import { stepHandler } from '../../shared/steps/handler.ts';
import { step } from '../../shared/steps/index.ts';
import { deleteSecurityGroup } from '../../shared/steps/delete-security-group.ts';

export const handler = stepHandler(step('DeleteSecurityGroup'), deleteSecurityGroup);
