import { stepHandler } from '../../shared/steps/handler.ts';
import { ensureDns } from '../../shared/steps/ensure-dns.ts';

export const handler = stepHandler('EnsureDns', ensureDns);
