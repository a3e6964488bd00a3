import { stepHandler } from '../../shared/steps/handler.ts';
import { step } from '../../shared/steps/index.ts';
import { allowlist } from '../../shared/steps/allowlist.ts';

export const handler = stepHandler(step('Allowlist'), allowlist);
