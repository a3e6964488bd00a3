import { stepHandler } from '../../shared/steps/handler.ts';
import { allowlist } from '../../shared/steps/allowlist.ts';

export const handler = stepHandler('Allowlist', allowlist);
