import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FOLLOW_FLOW, PROVISION_FLOW } from '../shared/flows.ts';
import { startStack } from '../local/stack.ts';
import { billTasks, functionSizes, USD_PER_TRANSITION, type FcBill } from './fc-billing.ts';
import { REFERENCE_SPEC } from './provision-cost.ts';

/**
 * What one more requester costs: two tickets for the reference scenario's link arrive together,
 * the first starts the run, the second joins it and is answered by its follower (flows/follow.yaml).
 * Counted on the follower alone: state transitions, history events, FC invocations as billed,
 * CloudFlow calls, the price, and how long after the run's own callback the joiner's came.
 */

export interface JoinedCost {
  runStatus: string;
  followerStatus: string;
  /** The run's figures, for scale. */
  run: { stateTransitions: number; events: number };
  stateTransitions: number;
  events: number;
  looks: number;
  fc: FcBill;
  /** DescribeExecution and GetExecutionHistory calls the follower made about the run. */
  cloudflowCalls: number;
  /** Emulated seconds between the run's callback and the joiner's. */
  answerLagSeconds: number;
  runSeconds: number;
  usd: number;
}

export async function measureJoined(): Promise<JoinedCost> {
  const stack = await startStack({ stateDir: mkdtempSync(join(tmpdir(), 'zpl-bench-join-')), keepExecutions: false });
  try {
    const engine = stack.engine.engine;
    const spec = REFERENCE_SPEC;
    const deliver = async (ticketId: string) => {
      const event = {
        id: `bench-${ticketId}`,
        source: 'bench',
        type: 'zpl.link.requested',
        specversion: '1.0',
        data: { ticketId, spec, callbackUrl: `${stack.file.edgeUrl}/callbacks/${ticketId}` },
      };
      const r = await fetch(`${stack.file.edgeUrl}/events`, { method: 'POST', body: JSON.stringify(event) });
      return ((await r.json()) as { execution: string; follower?: string }[])[0]!;
    };
    const release = stack.emulators.clock.hold();
    const first = await deliver('BENCH-1');
    const second = await deliver('BENCH-2');
    release();
    if (!second.follower) throw new Error('the second ticket was not recorded by a follower');
    const run = await engine.whenFinished(PROVISION_FLOW, first.execution);
    const follower = await engine.whenFinished(FOLLOW_FLOW, second.follower);

    const events = engine.history(FOLLOW_FLOW, second.follower);
    const runEvents = engine.history(PROVISION_FLOW, first.execution);
    const entered = (list: typeof events) => list.filter((e) => e.Type === 'StepEntered');
    const notified = (list: typeof events) => Date.parse(list.find((e) => e.StepName === 'Notify' && e.Type === 'TaskSucceeded')!.Time);
    const transitions = entered(events).length;
    const fc = billTasks(events, functionSizes());
    const about = (p: Record<string, unknown> | undefined) => p?.FlowName === PROVISION_FLOW && p.ExecutionName === first.execution;
    return {
      runStatus: run.status,
      followerStatus: follower.status,
      run: { stateTransitions: entered(runEvents).length, events: runEvents.length },
      stateTransitions: transitions,
      events: events.length,
      looks: entered(events).filter((e) => e.StepName === 'FollowRun').length,
      fc,
      cloudflowCalls: stack.engine.log.calls.filter(
        (c) => ['DescribeExecution', 'GetExecutionHistory'].includes(c.action) && about(c.params),
      ).length,
      answerLagSeconds: (notified(events) - notified(runEvents)) / 1000,
      runSeconds: Math.round((Date.parse(run.stoppedTime!) - Date.parse(run.startedTime)) / 1000),
      usd: transitions * USD_PER_TRANSITION + fc.usd,
    };
  } finally {
    await stack.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await measureJoined(), null, 2));
