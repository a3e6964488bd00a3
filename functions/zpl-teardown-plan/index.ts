import { stepHandler } from '../../shared/steps/handler.ts';
import { teardownPlan } from '../../shared/steps/teardown-plan.ts';

export const handler = stepHandler('TeardownPlan', teardownPlan);
