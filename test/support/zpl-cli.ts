import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

/** The CLI as a user runs it: a command in a process of its own. */
export const zpl = (args: string[]) => spawnSync('node', ['bin/zpl.mjs', ...args], { encoding: 'utf8', timeout: 300_000 });

/**
 * `zpl <args>` in a child process with exactly `env`, answered when it exits: never spawnSync
 * while this process serves the emulators the CLI talks to.
 */
export function zplChild(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('node', ['bin/zpl.mjs', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** `zpl up` in its own process on event-driven time, answered once it is serving. */
export async function zplUp(stateDir: string): Promise<ChildProcess> {
  const up = spawn('node', ['bin/zpl.mjs', 'up', '--state-dir', stateDir, '--pace', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`zpl up did not start: ${out}`)), 120_000);
    up.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('Stop with Ctrl-C')) {
        clearTimeout(t);
        resolve();
      }
    });
  });
  return up;
}

/** Stops a `zpl up` and waits until it has exited. */
export async function stopZplUp(up: ChildProcess): Promise<void> {
  up.kill('SIGTERM');
  await new Promise((r) => up.once('exit', r));
}

/** A `zpl up` for the enclosing suite: started before its tests in a new state directory, stopped after them. */
export function zplUpForSuite(prefix: string): { stateDir: () => string; up: () => ChildProcess } {
  let stateDir = '';
  let up: ChildProcess | undefined;
  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), prefix));
    up = await zplUp(stateDir);
  });
  afterAll(() => stopZplUp(up!));
  return { stateDir: () => stateDir, up: () => up! };
}
