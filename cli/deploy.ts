import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { AliyunTransport } from '../shared/aliyun/rpc.ts';
import { defaultChain } from '../shared/credentials/chain.ts';
import { chainSettings } from '../shared/credentials/settings.ts';
import { buildAll } from './build.ts';
import { busDeployPlan, deployBus } from '../deploy/eventbridge.ts';
import { deployRoles, rolesDeployPlan } from '../deploy/ram-roles.ts';
import type { DeployTarget } from '../deploy/deploy-vars.ts';

/**
 * `zpl deploy`: the whole deployment in the order each part needs the one before it —
 *   1. build: bundles, flows and policies for s.yaml's vars (dist/ beside s.yaml);
 *   2. roles: zpl-steps, zpl-entry, zpl-flow with their trust and policies (RAM), which the
 *      functions and flows name;
 *   3. `s deploy`: the functions, their triggers and the flows (Serverless Devs reads the same s.yaml);
 *   4. bus: zpl's EventBridge bus and the rule sending `zpl.link.requested` to zpl-events, which
 *      must exist to be a target.
 * Each step reuses what exists, so a second run changes nothing. RAM and EventBridge are called
 * with the default chain's key (environment first), or `--profile`'s, as `zpl deploy-bus` is, at
 * their public endpoints, or at `--endpoint` (one base URL for both, as the local stack's gateway).
 */
export interface DeployOptions {
  /** The s.yaml; dist/ is built beside it and `s` runs in its folder. */
  template: string;
  target: DeployTarget;
  endpoint?: string;
  /** The Serverless Devs CLI, as a command line (default `npx s`, the project's own). */
  s: string;
  plan?: boolean;
  /** `--profile`: that profile of ~/.aliyun/config.json alone (default: the default chain). */
  profile?: string;
  log: (line: string) => void;
}

export const DEFAULT_S = 'npx s';

/** The steps, as `--plan` prints them: nothing is built or called. */
export function deployPlan(opts: Omit<DeployOptions, 'log'>): string[] {
  const { target } = opts;
  const template = resolve(opts.template);
  return [
    `1. build  dist/ beside ${template} for ${target.region}, account ${target.accountId}, bus ${target.eventBus}`,
    ...rolesDeployPlan().map((l) => `2. roles  ${l}`),
    `3. s      ${sCommand(opts.s, template).join(' ')}  (in ${dirname(template)}: functions, triggers, flows)`,
    ...busDeployPlan(target).map((l) => `4. bus    ${l}`),
  ];
}

const sCommand = (s: string, template: string) => [...s.split(/\s+/).filter(Boolean), 'deploy', '-t', template, '-y'];

export async function deploy(opts: DeployOptions): Promise<void> {
  const template = resolve(opts.template);
  const { target, log } = opts;
  const built = await buildAll({ outDir: join(dirname(template), 'dist'), ...target });
  log(`1. build  ${built.functions.length} functions, ${built.flows.length} flows, ${built.policies.length} policies`);

  const transport = new AliyunTransport({
    credentials: defaultChain(chainSettings({ region: target.region, profile: opts.profile })),
    ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
  });
  for (const r of await deployRoles(transport, target))
    log(`2. roles  ${r.role}: role ${r.trust}, policy ${r.policy}, attachment ${r.attachment}`);

  const [command, ...args] = sCommand(opts.s, template);
  log(`3. s      ${[command, ...args].join(' ')}`);
  await run(command!, args, dirname(template));

  const bus = await deployBus(transport, target);
  log(
    `4. bus    event bus ${bus.bus.name}: ${bus.bus.change}; rule ${bus.rule.name}: ${bus.rule.change}; target ${bus.target.id}: ${bus.target.change}`,
  );
}

/** Runs `s` with this process's terminal, so its own prompts and progress show; a failure stops the deploy. */
function run(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((done, failed) => {
    const child = spawn(command, args, { cwd, stdio: 'inherit', env: process.env });
    child.on('error', (e) => failed(new Error(`${command} could not start (${e.message}); install Serverless Devs (npm ci) or pass --s`)));
    child.on('close', (code) => (code === 0 ? done() : failed(new Error(`${command} ${args.join(' ')} exited with ${code}`))));
  });
}
