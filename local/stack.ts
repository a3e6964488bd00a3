import { mkdirSync, rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { DEMO, demoSeed, type SeedInput, type Timings } from './emulators/fixtures.ts';
import { startEmulators, type Emulators } from './emulators/index.ts';

/**
 * The embedded default: everything on loopback, addresses written to `<stateDir>/stack.json`
 * so the CLI and tests in other processes find them. The keys in it are the emulator's own
 * throwaway demo keys, never real credentials.
 */
export const stackFileSchema = z.object({
  pid: z.number(),
  startedAt: z.string(),
  alibabaUrl: z.string().url(),
  zillizUrl: z.string().url(),
  adminUrl: z.string().url(),
  scale: z.number(),
  region: z.string(),
  accessKeyId: z.string(),
  accessKeySecret: z.string(),
  zillizApiKey: z.string(),
});
export type StackFile = z.infer<typeof stackFileSchema>;

export const DEFAULT_STATE_DIR = '.zpl';
export const stackFilePath = (stateDir = DEFAULT_STATE_DIR) => resolve(join(stateDir, 'stack.json'));

export interface StackOptions {
  stateDir?: string;
  scale?: number;
  seed?: SeedInput;
  timings?: Partial<Timings>;
  alibabaPort?: number;
  zillizPort?: number;
}

export interface Stack {
  emulators: Emulators;
  file: StackFile;
  path: string;
  stop(): Promise<void>;
}

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const scale = opts.scale ?? 60;
  const emulators = await startEmulators({
    scale,
    seed: opts.seed ?? demoSeed(),
    timings: opts.timings,
    alibabaPort: opts.alibabaPort,
    zillizPort: opts.zillizPort,
  });
  const file: StackFile = {
    pid: process.pid,
    startedAt: new Date().toISOString(),
    alibabaUrl: emulators.alibabaUrl,
    zillizUrl: emulators.zillizUrl,
    adminUrl: emulators.adminUrl,
    scale,
    region: DEMO.region,
    accessKeyId: DEMO.accessKeyId,
    accessKeySecret: DEMO.accessKeySecret,
    zillizApiKey: DEMO.zillizApiKey,
  };
  const path = stackFilePath(opts.stateDir);
  mkdirSync(resolve(opts.stateDir ?? DEFAULT_STATE_DIR), { recursive: true });
  writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  return {
    emulators,
    file,
    path,
    stop: async () => {
      await emulators.close();
      rmSync(path, { force: true });
    },
  };
}

/** The running stack's addresses, or a clear error saying how to start one. */
export function readStackFile(stateDir = DEFAULT_STATE_DIR): StackFile {
  const path = stackFilePath(stateDir);
  if (!existsSync(path)) throw new Error(`no local stack is running (${path} is missing): start one with \`zpl up\``);
  const parsed = stackFileSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`${path} is not a stack file: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
