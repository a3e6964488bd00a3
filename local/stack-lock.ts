import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * One stack per state directory. Two would share the engine's executions (each resuming the
 * other's) and the stack file (the second's stop deleting the first's), so `<stateDir>/stack.lock`,
 * created exclusively, names the process that owns the directory. A lock whose process has ended
 * (a killed stack) is stale and taken over.
 */

export class StateDirBusyError extends Error {
  constructor(
    readonly stateDir: string,
    readonly pid: number,
  ) {
    super(
      `a local stack is already running on ${stateDir} (process ${pid}): use it, stop it first (Ctrl-C in its terminal, or kill ${pid}), or start another with --state-dir <another dir>`,
    );
    this.name = 'StateDirBusyError';
  }
}

/** Whether a process of that ID is alive (EPERM: alive, owned by someone else). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const lockPath = (stateDir: string) => join(stateDir, 'stack.lock');

function holder(path: string): number | undefined {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Takes the state directory for this process, or throws StateDirBusyError naming its live owner. */
export function lockStateDir(stateDir: string): { release(): void } {
  const path = lockPath(stateDir);
  const mine = `${process.pid}\n`;
  // Two rounds: the second after removing a stale lock (a racer that removed it first wins the create).
  for (let round = 0; round < 2; round++) {
    try {
      writeFileSync(path, mine, { flag: 'wx', mode: 0o600 });
      return {
        release: () => {
          if (holder(path) === process.pid) rmSync(path, { force: true });
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const pid = holder(path);
    if (pid !== undefined && processAlive(pid)) throw new StateDirBusyError(stateDir, pid);
    rmSync(path, { force: true });
  }
  throw new StateDirBusyError(stateDir, holder(path) ?? 0);
}
