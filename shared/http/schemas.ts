import * as z from 'zod';
import { REGIONS } from '../regions.ts';
import { ids } from '../spec.ts';

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
  report: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('the Report step output: outputs, changes, or the failing step, code and message'),
});

export const health = z.object({ ok: z.literal(true), service: z.string() });

export const teardownRequest = z.strictObject({
  spec: z.unknown().describe('the link spec, as for POST /v1/links'),
  clusters: z
    .array(z.string().regex(ids.cluster, { error: 'must be a cluster ID' }))
    .min(1)
    .max(50)
    .optional()
    .describe('remove only these clusters (their DNS records); the whole link when absent'),
});

export const driftRequest = z.strictObject({
  regions: z
    .array(z.enum(REGIONS as [string, ...string[]]))
    .max(REGIONS.length)
    .optional(),
  remediate: z.boolean().default(false).describe('re-run the provision flow for each drifted link'),
});
