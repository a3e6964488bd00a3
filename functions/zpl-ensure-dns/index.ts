import { stepHandler } from '../../shared/steps/handler.ts';
import { step } from '../../shared/steps/index.ts';
import { ensureDns } from '../../shared/steps/ensure-dns.ts';

export const handler = stepHandler(step('EnsureDns'), ensureDns);
