import { stepHandler } from '../../shared/steps/handler.ts';
import { step } from '../../shared/steps/index.ts';
import { teardownPlan } from '../../shared/steps/teardown-plan.ts';

export const handler = stepHandler(step('TeardownPlan'), teardownPlan);
