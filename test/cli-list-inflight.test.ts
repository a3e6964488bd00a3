import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JSON_OUTPUTS } from '../cli/json-output.ts';
import { DEMO } from '../local/emulators/fixtures.ts';
import { startStack, type Stack } from '../local/stack.ts';

/**
 * `zpl list` while a run is in flight: the stack's clock is `manual`, so emulated time stands
 * still and the first run waits at CheckService for as long as the test looks (it is never moved:
 * the run is simply held, whatever the machine's speed). The CLI runs as a process; the stack lives
 * in this one, so the CLI is awaited asynchronously.
 */

let stack: Stack;
let stateDir: string;
const zpl = (...args: string[]) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
    execFile(
      'node',
      ['bin/zpl.mjs', ...args, '--state-dir', stateDir],
      { timeout: 300_000, env: { ...process.env, ZPL_REGIONS: '' } },
      (e, stdout, stderr) => resolve({ code: e ? Number(e.code ?? 1) : 0, stdout, stderr }),
    ),
  );

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'zpl-inflight-'));
  stack = await startStack({ clockMode: 'manual', stateDir });
});
afterAll(() => stack.stop());

describe('zpl list with a run in flight', () => {
  it('shows the link provisioning (from its run, before anything is tagged) and the run Running', async () => {
    const started = await zpl('apply', '-f', 'examples/link.yaml', '--json');
    expect(started.code, started.stderr).toBe(0);
    const run = JSON_OUTPUTS.apply.parse(JSON.parse(started.stdout));
    const listed = await zpl('list', '--json');
    expect(listed.code, listed.stderr).toBe(0);
    const { links } = JSON_OUTPUTS.list.parse(JSON.parse(listed.stdout));
    expect(links).toEqual([
      expect.objectContaining({
        status: 'provisioning',
        vpcId: DEMO.vpcId,
        lastRun: expect.objectContaining({ execution: run.execution, status: 'Running' }),
      }),
    ]);
    const text = await zpl('list');
    expect(text.stdout).toMatch(/^1 link\(s\) in cn-hangzhou: 1 provisioning$/m);
    const status = await zpl('status', run.execution);
    expect(status.stdout).toMatch(new RegExp(`^${run.execution}: Running \\(zpl-provision, `));
  });
});
