import { verifyNetwork } from '../../shared/net/verify-network.ts';
import { stepHandler } from '../../shared/steps/handler.ts';
import { step } from '../../shared/steps/index.ts';
import { verify } from '../../shared/steps/verify.ts';

export const handler = stepHandler(step('Verify'), verify, { network: verifyNetwork });
