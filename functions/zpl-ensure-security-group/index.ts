import { stepHandler } from '../../shared/steps/handler.ts';
import { step } from '../../shared/steps/index.ts';
import { ensureSecurityGroup } from '../../shared/steps/ensure-security-group.ts';

export const handler = stepHandler(step('EnsureSecurityGroup'), ensureSecurityGroup);
