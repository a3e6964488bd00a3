import { z } from 'zod';

/** The API's response shapes; the OpenAPI document is generated from these and the spec schema. */
export const errorBody = z.object({
  error: z.object({
    code: z.string().describe('stable, machine-readable: auth.*, request.*, spec.invalid, execution.not_found, service.*'),
    message: z.string(),
    fields: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  }),
});

export const accepted = z.object({
  execution: z.string().describe('the execution name; derived from Idempotency-Key or the spec'),
  status: z.string(),
  statusUrl: z.string(),
  joined: z.boolean().describe('true when the request joined an execution already running (or replayed a finished one for the same key)'),
});

export const stepLine = z.object({
  step: z.string(),
  status: z.enum(['done', 'waiting', 'failed']),
  elapsedMs: z.number(),
  text: z.string(),
});

export const executionStatus = z.object({
  execution: z.string(),
  status: z.enum(['Starting', 'Running', 'Stopped', 'Succeeded', 'Failed', 'TimedOut']),
  startedTime: z.string(),
  stoppedTime: z.string().optional(),
  currentStep: z.string().optional(),
  steps: z.array(stepLine),
  report: z.record(z.string(), z.unknown()).optional().describe('the Report step output: outputs, changes, or the failing step, code and message'),
});

export const health = z.object({ ok: z.literal(true), service: z.string() });
