import { stepHandler } from '../../shared/steps/handler.ts';
import { ensureSecurityGroup } from '../../shared/steps/ensure-security-group.ts';

export const handler = stepHandler('EnsureSecurityGroup', ensureSecurityGroup);
