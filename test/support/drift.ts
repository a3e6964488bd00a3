import { expect } from 'vitest';
import { DRIFT_FLOW } from '../../shared/flows.ts';
import type { DriftReport } from '../../shared/drift/types.ts';
import type { HandEdit } from '../../local/emulators/hand-edits.ts';
import type { Stack } from '../../local/stack.ts';
import { finishFlow } from './provision.ts';

/** Drift through the flow on a test stack, and changes made by hand through the admin API. */

let runs = 0;

/** Runs the drift flow over cn-hangzhou to success and answers its output. */
export async function drift(s: Stack, remediate = false) {
  const name = `drift-test-${++runs}`;
  await s.flows.start(DRIFT_FLOW, name, { regions: ['cn-hangzhou'], remediate });
  const rec = await finishFlow(s, DRIFT_FLOW, name);
  expect(rec.status).toBe('Succeeded');
  return JSON.parse(rec.output!) as { report: DriftReport; remediation?: { result: { execution?: string } }[] };
}

/** A change made by hand in the consoles (the admin API's `POST /edits`). */
export async function edit(s: Stack, e: HandEdit) {
  const res = await fetch(`${s.file.adminUrl}/edits`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(e),
  });
  expect(res.status).toBe(200);
}
