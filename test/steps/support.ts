import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect } from 'vitest';
import { DEMO, demoSeed, type SeedInput, type Timings } from '../../local/emulators/fixtures.ts';
import { startEmulators, type Emulators } from '../../local/emulators/index.ts';
import { PrivateNetwork } from '../../local/emulators/network.ts';
import type { CallRecord } from '../../local/emulators/call-log.ts';
import { callName, isWrite } from '../support/calls.ts';
import { linkId } from '../../shared/derived.ts';
import { mappedNetwork } from '../../shared/net/address-map.ts';
import { requireLinkSpec, type LinkSpec } from '../../shared/spec.ts';
import { permanentFailure } from '../../shared/steps/handler.ts';
import { linkSteps, STEPS, type FlowName } from '../../shared/steps/index.ts';
import { stepDeps } from '../../shared/steps/runtime.ts';
import { emptyState, type Failure, type LinkState, type Step, type StepDeps, type StepResult } from '../../shared/steps/types.ts';
import { demoSpec } from '../support/provision.ts';

/**
 * Step-level tests: each step function called directly against the emulators (no engine),
 * with the emulators' event-driven clock, so in-step lingers and retry back-offs skip ahead.
 */

const ROOT = join(import.meta.dirname, '..', '..');

export const ZONE_NAME = 'ali-cn-hangzhou.vectordb.zilliz.com.cn';
export const host = (cluster: string) => `${cluster}-privatelink.${ZONE_NAME}`;
export const OTHER_VPC = 'vpc-bp1someoneelse000001';

/** A link step of `flow` as the step table names it. */
type LinkStepOf<F extends FlowName> = Extract<(typeof STEPS)[number], { kind: 'act' | 'wait'; flows: readonly F[] }>['state'];
export type ProvisionStep = LinkStepOf<'provision'>;
export type TeardownStep = LinkStepOf<'teardown'>;

/** A flow's link steps in run order, each loaded from the implementation the step table names. */
async function implementations<N extends string>(flow: FlowName): Promise<Record<N, Step>> {
  const out: Record<string, Step> = {};
  for (const s of linkSteps(flow)) {
    const [path, name] = s.implementation.split('#') as [string, string];
    out[s.state] = ((await import(join(ROOT, path))) as Record<string, Step>)[name]!;
  }
  return out as Record<N, Step>;
}

/** The provisioning steps, in the flow's order (from the step table). */
export const PROVISION_STEPS = await implementations<ProvisionStep>('provision');
const PROVISION_ORDER = Object.keys(PROVISION_STEPS) as ProvisionStep[];

/** The teardown steps, in the flow's order (from the step table). */
export const TEARDOWN_STEPS = await implementations<TeardownStep>('teardown');
const TEARDOWN_ORDER = Object.keys(TEARDOWN_STEPS) as TeardownStep[];

export interface StepWorldOptions {
  seed?: SeedInput;
  timings?: Partial<Timings>;
  /** Start the emulated VPC network (resolvers, ENI listeners) for the Verify step. */
  network?: boolean;
  /** The region the steps act in (the demo's, cn-hangzhou, unless the seed is another region's). */
  region?: string;
}

export interface RunOptions {
  /** The execution name (changes' ClientTokens include it). */
  execution?: string;
  /** The link's lifetime (creates' ClientTokens include it); absent as from a starter that does not pass it. */
  lifetime?: number;
  removeClusters?: string[];
}

export interface StepWorld {
  emu: Emulators;
  deps: StepDeps;
  network?: PrivateNetwork;
  /** Calls one step once. */
  call(step: Step, spec: LinkSpec, state: LinkState, opts?: RunOptions): Promise<StepResult>;
  /** Calls a step, and for a wait step, waits as the flow does (advancing the clock by nextPollSeconds) until ready. */
  settle(step: Step, spec: LinkSpec, state: LinkState, opts?: RunOptions): Promise<{ state: LinkState; polls: number }>;
  /** Runs the provisioning steps in order from the start through `last` (inclusive), threading the state. */
  provisionThrough(last: ProvisionStep, spec?: LinkSpec, opts?: RunOptions): Promise<LinkState>;
  /** Runs the teardown steps in order from the plan through `last` (inclusive). */
  teardownThrough(last: TeardownStep, spec?: LinkSpec, opts?: RunOptions): Promise<LinkState>;
  /** Calls made from now on (a mark to pass to `callsSince`). */
  mark(): number;
  callsSince(mark: number): CallRecord[];
  close(): Promise<void>;
}

/** The demo spec (examples/link.yaml) parsed, with `over` applied: deadlines and other defaults filled in. */
export const spec = (over: Record<string, unknown> = {}): LinkSpec => requireLinkSpec(demoSpec(over));

export const start = (s: LinkSpec): LinkState => emptyState(linkId(s));

export function seedWith(extra: (seed: SeedInput) => void): SeedInput {
  const seed = demoSeed();
  extra(seed);
  return seed;
}

/** Someone else's zone of the link's zone name, with a record of its own (`legacy`), bound to these VPCs (OTHER_VPC made to exist). */
export const usersZoneSeed = (vpcIds: string[], extra?: (seed: SeedInput) => void): SeedInput =>
  seedWith((x) => {
    x.accounts![0]!.vpcs!.push({ vpcId: OTHER_VPC, regionId: 'cn-hangzhou', cidrBlock: '172.16.0.0/16', vSwitches: [] });
    x.accounts![0]!.zones = [
      {
        zoneName: ZONE_NAME,
        proxyPattern: 'RECORD',
        bindings: vpcIds.map((vpcId) => ({ vpcId, regionId: 'cn-hangzhou' })),
        records: [{ rr: 'legacy', type: 'A', value: '10.9.9.9', ttl: 300 }],
      },
    ];
    extra?.(x);
  });

/** Every cloud-side wait over at once (deletions still take `changeMs`): for tests whose subject is not a wait. */
export const FAST: Partial<Timings> = { serviceVisibleMs: 0, endpointActiveMs: 0, acceptMs: 0, connectMs: 0 };

export const iso = (ms: number) => new Date(ms).toISOString();

/** A most-polls guard: a wait that never ends fails the test instead of looping. */
const MAX_POLLS = 400;

export async function startStepWorld(opts: StepWorldOptions = {}): Promise<StepWorld> {
  const emu = await startEmulators({ seed: opts.seed ?? demoSeed(), timings: opts.timings });
  let network: PrivateNetwork | undefined;
  let dir: string | undefined;
  if (opts.network) {
    dir = mkdtempSync(join(tmpdir(), 'zpl-steps-'));
    network = new PrivateNetwork(emu.world, join(dir, 'address-map.json'));
    await network.start();
  }
  const deps = stepDeps({
    region: opts.region ?? DEMO.region,
    credentials: { accessKeyId: DEMO.accessKeyId, accessKeySecret: DEMO.accessKeySecret },
    alibabaEndpoint: emu.alibabaUrl,
    zillizApiKey: DEMO.zillizApiKey,
    zillizUrl: emu.zillizUrl,
    clock: emu.clock,
    ...(dir ? { network: mappedNetwork(join(dir, 'address-map.json')) } : {}),
  });
  const call = (step: Step, s: LinkSpec, state: LinkState, o: RunOptions = {}) =>
    step(
      {
        spec: s,
        state,
        execution: o.execution ?? 'exec-1',
        ...(o.lifetime !== undefined ? { lifetime: o.lifetime } : {}),
        ...(o.removeClusters ? { removeClusters: o.removeClusters } : {}),
      },
      deps,
    );
  const settle = async (step: Step, s: LinkSpec, state: LinkState, o: RunOptions = {}) => {
    let current = state;
    for (let polls = 1; polls <= MAX_POLLS; polls++) {
      const result = await call(step, s, current, o);
      current = result.state;
      if (!result.wait || result.wait.ready) return { state: current, polls };
      emu.clock.advance(result.wait.nextPollSeconds * 1000);
    }
    throw new Error(`still waiting after ${MAX_POLLS} polls`);
  };
  const runSteps = async <N extends string>(all: Record<N, Step>, names: N[], s: LinkSpec, state: LinkState, o: RunOptions) => {
    let current = state;
    for (const name of names) current = (await settle(all[name], s, current, o)).state;
    return current;
  };
  const through = <N extends string>(order: N[], last: N) => order.slice(0, order.indexOf(last) + 1);
  return {
    emu,
    deps,
    network,
    call,
    settle,
    provisionThrough: (last, s = spec(), o = {}) => runSteps(PROVISION_STEPS, through(PROVISION_ORDER, last), s, start(s), o),
    teardownThrough: (last, s = spec(), o = {}) => runSteps(TEARDOWN_STEPS, through(TEARDOWN_ORDER, last), s, start(s), o),
    mark: () => emu.calls.calls.at(-1)?.seq ?? 0,
    callsSince: (mark) => emu.calls.calls.filter((c) => c.seq > mark),
    close: async () => {
      await network?.close();
      await emu.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Opens step worlds for a test file's tests and closes them after each test. */
export function worlds(): (opts?: StepWorldOptions) => Promise<StepWorld> {
  const open: StepWorld[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((w) => w.close()));
  });
  return async (opts) => {
    const w = await startStepWorld(opts);
    open.push(w);
    return w;
  };
}

/** The calls' names (`callName`), in order (only the successful ones unless `all`). */
export const actions = (calls: CallRecord[], all = false) => calls.filter((c) => all || c.ok).map(callName);

/** The calls of one action (`Product.Action` where two products share the name). */
export const callsOf = (calls: CallRecord[], action: string) => calls.filter((c) => callName(c) === action);

/** Calls that changed something (`isWrite`), by name. */
export const writes = (calls: CallRecord[]) => calls.filter((c) => c.ok && isWrite(c)).map(callName);

/** Runs a step expected to fail and returns the failure as the function handler reports it to the flow. */
export async function failure(run: Promise<unknown>, step = 'Step'): Promise<Failure> {
  try {
    await run;
  } catch (e) {
    const failed = permanentFailure(step, e);
    expect(failed, `a permanent failure, not ${String(e)}`).toBeDefined();
    return failed!;
  }
  throw new Error('the step succeeded, but it was expected to fail');
}

/** What the emulated clouds hold, counted (test/support/world-shape.ts). */
export { worldShape as shape, provisioned as PROVISIONED, empty as EMPTY } from '../support/world-shape.ts';
