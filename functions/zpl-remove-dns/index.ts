import { stepHandler } from '../../shared/steps/handler.ts';
import { step } from '../../shared/steps/index.ts';
import { removeDns } from '../../shared/steps/remove-dns.ts';

export const handler = stepHandler(step('RemoveDns'), removeDns);
