import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../local/stack.ts';
import { PROVISION_FLOW } from '../shared/flows.ts';
import { startTestStack } from './support/provision.ts';

/**
 * `zpl apply --follow` (the CLI as a process, against a stack in this process) reads each event
 * of the run's history once: every poll asks GetExecutionHistory only for the events after the
 * last one it has. Measured on the FnF API's call log (bytes of each answer), against what
 * reading the whole history at every poll, as it once did, would have cost.
 */

let stack: Stack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack.stop());

const cli = (args: string[]) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
    execFile('node', ['bin/zpl.mjs', ...args], { encoding: 'utf8', timeout: 300_000 }, (e, stdout, stderr) =>
      resolve({ code: e ? Number(e.code ?? 1) : 0, stdout, stderr }),
    ),
  );

describe('--follow reads the history incrementally', () => {
  it('each event is downloaded once; the whole history per poll would cost several times more', async () => {
    const stateDir = stack.path.replace(/\/stack\.json$/, '');
    const r = await cli(['apply', '-f', 'examples/link.yaml', '--state-dir', stateDir, '--follow']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Succeeded after/);
    const name = /started execution (\S+)/.exec(r.stdout)![1]!;

    const reads = stack.engine.log.calls.filter((c) => c.action === 'GetExecutionHistory' && c.params?.ExecutionName === name);
    const polls = reads.length;
    const after = reads.reduce((n, c) => n + c.responseBytes!, 0);
    // Each answer's events, by ID, as the engine holds them (the same JSON the API sends).
    const history = stack.engine.engine.history(PROVISION_FLOW, name);
    const bytesUpTo = (id: number) => history.filter((e) => e.EventId <= id).reduce((n, e) => n + JSON.stringify(e).length + 1, 0);
    const whole = bytesUpTo(Infinity);
    // Every poll but the first named where it left off, and no event came twice.
    const tokens = reads.map((c) => c.params?.NextToken as string | undefined);
    expect(tokens[0]).toBeUndefined();
    for (let i = 1; i < tokens.length; i++) expect(Number(tokens[i])).toBeGreaterThanOrEqual(Number(tokens[i - 1] ?? 0));
    // What it read: the events once, and an envelope (about 60 bytes) a poll.
    expect(after).toBeLessThanOrEqual(whole + polls * 120);
    // What reading everything at each poll would have read: the history as it stood after that poll.
    const lastIdAfter = (i: number) => Number(tokens[i + 1] ?? history.at(-1)!.EventId);
    const before = reads.reduce((n, _, i) => n + bytesUpTo(lastIdAfter(i)), 0);
    expect(polls).toBeGreaterThanOrEqual(2);
    expect(before).toBeGreaterThan(after);
  });
});
