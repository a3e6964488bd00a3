import { stepHandler } from '../../shared/steps/handler.ts';
import { verify } from '../../shared/steps/verify.ts';

export const handler = stepHandler('Verify', verify);
