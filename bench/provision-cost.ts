import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROVISION_FLOW } from '../shared/flows.ts';
import { DEMO, DEFAULT_TIMINGS, demoLinkSpec } from '../local/emulators/fixtures.ts';
import { startStack } from '../local/stack.ts';
import { billTasks, CNY_PER_USD, functionSizes, USD_PER_TRANSITION, type FcBill } from './fc-billing.ts';

/**
 * One provisioning of the reference scenario (service visible 60 s after allowlisting, endpoint
 * Active after 120 s, Zilliz accepts 300 s after registration, Connected 10 s later), counted:
 * state transitions, events, FC invocations, calls (polls apart), end-to-end time against the
 * ideal, detection lag of every wait, and the price as CloudFlow and FC 3.0 bill it. Time is
 * event-driven (it skips to the next timer whenever all is idle), so the figures are the same on
 * every run and every machine, with no injected latency: the design's own behaviour.
 */

const POLL_ACTIONS = new Set(['ListVpcEndpointServicesByEndUser', 'GetVpcEndpointAttribute', 'listEndpoints']);

export interface WaitLag {
  wait: string;
  waitedSeconds: number;
  lagSeconds: number;
  allowedSeconds: number;
}

export interface ProvisionCost {
  status: string;
  stateTransitions: number;
  events: number;
  fcInvocations: number;
  /** FC as billed: every invocation at its configured size for its whole (emulated) duration. */
  fc: FcBill;
  calls: { alibaba: number; zilliz: number; polls: number; writes: number };
  endToEndSeconds: number;
  idealSeconds: number;
  lags: WaitLag[];
  usd: { cloudflow: number; fc: number; total: number };
  cny: number;
}

/** The reference scenario's link: the demo spec (examples/link.yaml). */
export const REFERENCE_SPEC = demoLinkSpec();

export async function measureProvision(): Promise<ProvisionCost> {
  const stack = await startStack({ stateDir: mkdtempSync(join(tmpdir(), 'zpl-bench-')), keepExecutions: false });
  try {
    const engine = stack.engine.engine;
    const spec = REFERENCE_SPEC;
    const before = stack.emulators.calls.calls.length;
    await stack.flows.start(PROVISION_FLOW, 'bench-1', { spec });
    const rec = await engine.whenFinished(PROVISION_FLOW, 'bench-1');
    const events = engine.history(PROVISION_FLOW, 'bench-1');
    const at = (e: { Time: string }) => Date.parse(e.Time);
    const calls = stack.emulators.calls.calls.slice(before);

    const fc = billTasks(events, functionSizes());

    const world = stack.emulators.world;
    const ep = [...world.endpoints.values()][0]!;
    const readyAt = {
      CheckService: world.privatelink.serviceInRegion(DEMO.region)!.visibleTo.get(DEMO.accountId)!,
      CheckEndpoint: ep.activeAt,
      CheckConnection: world.acceptedAt(ep)! + world.timings.connectMs,
    };
    const lags = (Object.keys(readyAt) as (keyof typeof readyAt)[]).map((wait) => {
      const first = events.find((e) => e.Type === 'StepEntered' && e.StepName === wait)!;
      const detected = events.find(
        (e) => e.Type === 'StepExited' && e.StepName === wait && JSON.parse(e.EventDetail).output?.wait?.ready === true,
      )!;
      const waited = (readyAt[wait] - at(first)) / 1000;
      return {
        wait,
        waitedSeconds: Math.round(waited),
        lagSeconds: Math.round((at(detected) - readyAt[wait]) / 100) / 10,
        allowedSeconds: Math.round(Math.max(5, waited / 10) * 10) / 10,
      };
    });

    const transitions = events.filter((e) => e.Type === 'StepEntered').length;
    const cloudflowUsd = transitions * USD_PER_TRANSITION;
    const fcUsd = fc.usd;
    const t = DEFAULT_TIMINGS;
    return {
      status: rec.status,
      stateTransitions: transitions,
      events: events.length,
      fcInvocations: fc.invocations,
      fc,
      calls: {
        alibaba: calls.filter((c) => c.service === 'alibaba').length,
        zilliz: calls.filter((c) => c.service === 'zilliz').length,
        polls: calls.filter((c) => POLL_ACTIONS.has(c.action)).length,
        writes: calls.filter((c) => /^(Create|Add|Authorize|Bind|Update|Tag|allowlist|register)/.test(c.action)).length,
      },
      endToEndSeconds: Math.round((Date.parse(rec.stoppedTime!) - Date.parse(rec.startedTime)) / 1000),
      idealSeconds: (t.serviceVisibleMs + t.endpointActiveMs + t.acceptMs + t.connectMs) / 1000,
      lags,
      usd: { cloudflow: cloudflowUsd, fc: fcUsd, total: cloudflowUsd + fcUsd },
      cny: (cloudflowUsd + fcUsd) * CNY_PER_USD,
    };
  } finally {
    await stack.stop();
  }
}
