import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AliyunTransport } from '../shared/aliyun/rpc.ts';
import { CloudFlowApi } from '../shared/aliyun/cloudflow.ts';
import { DEMO } from '../local/emulators/fixtures.ts';
import { EngineStore } from '../local/engine/store.ts';
import { startTestEngine, tempDir, types } from './support/engine.ts';
import { TEST_RETRY } from './support/stack.ts';

const CHILD = fileURLToPath(new URL('./support/engine-child.ts', import.meta.url));

const definition = `Type: StateMachine
Name: resumable
SpecVersion: v1
StartAt: First
States:
  - Name: First
    Type: Task
    Action: FC:InvokeFunction
    Parameters:
      resourceArn: acs:fc:::functions/echo/LATEST
      invocationType: Sync
      body.$: $Input
    OutputConstructor:
      first.$: $Output.Body.event.n
    GlobalConstructor:
      seen.$: $Output.Body.event.n
    Next: Pause
  - Name: Pause
    Type: Wait
    Seconds: 300
    Next: Last
  - Name: Last
    Type: Pass
    OutputConstructor:
      first.$: $Input.first
      fromGlobal.$: $Global.seen
    End: true
`;

describe('persistence and resume', () => {
  it('an engine killed mid-run (SIGKILL) is resumed by the next one from the state it was in', async () => {
    const stateDir = tempDir();
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, stateDir], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout! }).once('line', resolve);
        child.once('exit', (code) => reject(new Error(`engine child exited with ${code}`)));
      });
      const { url } = JSON.parse(line) as { url: string };
      const api = new CloudFlowApi(
        new AliyunTransport({
          endpoint: url,
          credentials: { accessKeyId: DEMO.accessKeyId, accessKeySecret: DEMO.accessKeySecret },
          retry: TEST_RETRY,
        }),
        DEMO.region,
      );
      await api.deployFlow({ name: 'resumable', definition, description: 'resume test' });
      await api.start('resumable', 'r-1', { n: 5 });

      // Another process sees the execution on disk while it waits.
      for (let i = 0; i < 200; i++) {
        if (types(new EngineStore(stateDir).history('resumable', 'r-1')).includes('StepEntered:Pause')) break;
        await new Promise((r) => setTimeout(r, 25));
      }
      const seen = new EngineStore(stateDir);
      expect(seen.execution('resumable', 'r-1')).toMatchObject({ status: 'Running', cursor: { state: 'Pause', global: { seen: 5 } } });
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }

    const t = await startTestEngine({ stateDir });
    try {
      expect(t.resumed).toEqual(['resumable/r-1']);
      const rec = await t.finish('resumable', 'r-1');
      expect(rec.status).toBe('Succeeded');
      expect(JSON.parse(rec.output!)).toEqual({ first: 5, fromGlobal: 5 });
      const events = t.engine.history('resumable', 'r-1');
      expect(events.map((e) => e.EventId)).toEqual(events.map((_, i) => i + 1));
      // The task before the crash ran once; the wait was re-entered (at-least-once) and kept its deadline.
      expect(types(events).filter((x) => x === 'TaskSucceeded:First')).toHaveLength(1);
      expect(types(events).filter((x) => x === 'ExecutionStarted')).toHaveLength(1);
      expect(Date.parse(rec.stoppedTime!) - Date.parse(rec.startedTime)).toBeLessThanOrEqual(310_000);
    } finally {
      await t.close();
    }
  });
});
