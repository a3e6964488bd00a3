import { stepHandler } from '../../shared/steps/handler.ts';
import { removeDns } from '../../shared/steps/remove-dns.ts';

export const handler = stepHandler('RemoveDns', removeDns);
