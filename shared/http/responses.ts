import * as z from '../zod.ts';

/**
 * The API's answers, as the OpenAPI document describes them (./openapi.ts). Only the document
 * reads them, and the api bundle carries the document prebuilt (cli/build.ts), so these stay
 * out of the bundle; the request schemas the router checks live in ./schemas.ts.
 */
export const errorBody = z.object({
  error: z.object({
    code: z
      .string()
      .check(
        z.describe(
          'stable, machine-readable: auth.*, request.*, spec.invalid, callback.refused, link.busy, link.spec_differs, execution.not_found, service.*',
        ),
      ),
    message: z.string(),
    fields: z.optional(z.array(z.object({ field: z.string(), message: z.string() }))),
  }),
});

export const accepted = z.object({
  execution: z.string().check(z.describe('the execution name; derived from Idempotency-Key or the spec')),
  status: z.string(),
  statusUrl: z.string(),
  joined: z
    .boolean()
    .check(z.describe('true when the request joined an execution already running (or replayed a finished one for the same key)')),
  follower: z.optional(
    z
      .string()
      .check(
        z.describe(
          'when the request joined a run someone else started: the zpl-follow execution that sends this request its own callback and outcome event once the run ends',
        ),
      ),
  ),
});

export const stepLine = z.object({
  step: z.string(),
  status: z.enum(['done', 'waiting', 'failed', 'skipped']),
  elapsedMs: z.number(),
  text: z.string(),
});

export const executionStatus = z.object({
  execution: z.string(),
  status: z.enum(['Starting', 'Running', 'Stopped', 'Succeeded', 'Failed', 'TimedOut']),
  startedTime: z.string(),
  stoppedTime: z.optional(z.string()),
  currentStep: z.optional(z.string()),
  steps: z.array(stepLine),
  report: z
    .optional(z.record(z.string(), z.unknown()))
    .check(z.describe('the Report step output: outputs, changes, or the failing step, code and message')),
});

export const health = z.object({ ok: z.literal(true), service: z.string() });

const doctorCheck = z.object({
  id: z.string().check(z.describe('stable: assume-role, account, privatelink.activated, quota.endpoints-per-vpc, …')),
  status: z.enum(['pass', 'warn', 'fail', 'skip']).check(z.describe('skip: not run, because the spec’s role could not be taken on')),
  detail: z.string(),
  fix: z.optional(z.string()),
});

export const doctorStarted = z.object({
  execution: z.string().check(z.describe('the doctor run (an execution of the zpl-doctor flow)')),
  status: z.string(),
  statusUrl: z.string(),
});

export const doctorRun = z.object({
  execution: z.string(),
  status: z.enum(['pending', 'done', 'failed']),
  startedTime: z.string(),
  stoppedTime: z.optional(z.string()),
  report: z.optional(
    z
      .object({
        linkId: z.string(),
        ok: z.boolean().check(z.describe('no check failed (warnings allowed)')),
        counts: z.object({ pass: z.number(), warn: z.number(), fail: z.number(), skip: z.number() }),
        checks: z.array(doctorCheck),
      })
      .check(z.describe('when done: one line per check, with the fix for a failure or a warning')),
  ),
  failed: z.optional(
    z
      .object({ code: z.string(), message: z.string() })
      .check(z.describe('when failed: why the doctor could not run (no check failing does this)')),
  ),
});
