import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { linkId, dnsRecordName } from '../shared/derived.ts';
import { FINISHED_STATUSES } from '../shared/aliyun/cloudflow.ts';
import { flowFiles, PROVISION_FLOW, TEARDOWN_FLOW } from '../shared/flows.ts';
import { renderFlow } from '../shared/flow-render.ts';
import { planLink } from '../shared/plan.ts';
import type { LinkSpec } from '../shared/spec.ts';
import { checkFlow, countStates, formatProblem } from '../local/engine/fdl-check.ts';
import { mermaid } from '../local/engine/diagram.ts';
import { DEMO } from '../local/emulators/fixtures.ts';
import { clockOptions, describeClock, startStack } from '../local/stack.ts';
import { applyLink } from './apply.ts';
import { formatDrift, runDrift } from './drift.ts';
import { buildAll } from './build.ts';
import { runDeployBus } from './deploy-bus.ts';
import { configuredEventBus } from '../deploy/event-bus-name.ts';
import { follow, formatLine, ProgressReader } from './progress.ts';
import { readSpecFile } from './spec-file.ts';
import { formatSummary } from './summary.ts';
import { openTarget, stackTarget, type Target } from './target.ts';

const program = new Command('zpl').description('Connect an Alibaba Cloud VPC to Zilliz Cloud over PrivateLink.').showHelpAfterError();

const number = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`${name} must be a non-negative number`);
  return n;
};

const targetOption = () =>
  new Option('--target <where>', 'where the flow runs: the local stack (`zpl up`), a local engine against the real clouds, or CloudFlow').choices(['auto', 'stack', 'local', 'cloudflow']).default('auto');

/** A valid spec from a file, or the field errors on stderr and exit code 2. */
function specOrExit(file: string): LinkSpec {
  const result = readSpecFile(file);
  if (result.ok) {
    for (const w of result.warnings) console.error(`warning: ${w}`);
    return result.spec;
  }
  console.error(`${file}: invalid link spec`);
  for (const e of result.errors) console.error(`  - ${e.field || '(spec)'}: ${e.message}`);
  process.exit(2);
}

async function fail(e: unknown): Promise<never> {
  console.error(`zpl: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}

/** Opens the target, runs the command on it, and closes it; any error ends the CLI with exit 1. */
async function onTarget(kind: string, where: { region: string; accountId?: string }, stateDir: string, deploy: boolean, run: (target: Target) => Promise<void>): Promise<void> {
  const target = await openTarget(kind, where, stateDir, deploy).catch(fail);
  try {
    await run(target);
  } catch (e) {
    await fail(e);
  } finally {
    await target.close();
  }
}

program
  .command('up')
  .description('start the local stack (emulated Alibaba Cloud and Zilliz, the emulated VPC network, the local CloudFlow engine) on loopback')
  .option('--pace <n>', 'emulated seconds per real second while nothing runs (0: skip straight to the next timer)', number('--pace'), 60)
  .option('--state-dir <dir>', 'where the stack file, executions and logs are kept', '.zpl')
  .option('--alibaba-port <port>', 'Alibaba gateway port (0: any free port)', number('--alibaba-port'), 0)
  .option('--zilliz-port <port>', 'Zilliz API port (0: any free port)', number('--zilliz-port'), 0)
  .option('--fnf-port <port>', 'CloudFlow (FnF) API port of the local engine (0: any free port)', number('--fnf-port'), 0)
  .action(async (opts: { pace: number; stateDir: string; alibabaPort: number; zillizPort: number; fnfPort: number }) => {
    const stack = await startStack({ ...clockOptions(opts.pace), stateDir: opts.stateDir, alibabaPort: opts.alibabaPort, zillizPort: opts.zillizPort, fnfPort: opts.fnfPort });
    const f = stack.file;
    console.log(`zpl local stack is up (${describeClock(f.clock)})
  Alibaba Cloud (ECS, VPC, PrivateLink, PrivateZone)  ${f.alibabaUrl}
  Zilliz Cloud control plane                         ${f.zillizUrl}/v2
  CloudFlow (FnF API, local engine)                  ${f.fnfUrl}
  HTTP API, CloudEvents (/events), callback sink     ${f.edgeUrl}  (token and HMAC secret in the stack file)
  admin (state, calls, clock, faults)                ${f.adminUrl}
  stack file                                         ${stack.path}
  function logs                                      ${f.logFile}${stack.engine.resumed.length ? `\nResumed ${stack.engine.resumed.length} unfinished execution(s): ${stack.engine.resumed.join(', ')}` : ''}
Seeded: account ${DEMO.accountId}, VPC ${DEMO.vpcId} (cn-hangzhou-h, cn-hangzhou-j), project ${DEMO.projectId} with clusters ${DEMO.clusterId}, ${DEMO.secondClusterId}.
Try:  zpl apply -f examples/link.yaml --follow
Stop with Ctrl-C.`);
    const stop = async () => {
      await stack.stop();
      process.exit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });

program
  .command('demo')
  .description('the embedded default (npm start): boot the local stack, provision examples/link.yaml end to end with time sped up, verify, stop')
  .option('-f, --file <path>', 'link spec', 'examples/link.yaml')
  .option('--pace <n>', 'emulated seconds per real second while waiting (default 0: skip straight to the next timer)', number('--pace'), 0)
  .option('--state-dir <dir>', 'where the demo keeps its state', join('.zpl', 'demo'))
  .option('--json', 'machine-readable result')
  .action(async (opts: { file: string; pace: number; stateDir: string; json?: boolean }) => {
    const spec = specOrExit(opts.file);
    const stack = await startStack({ ...clockOptions(opts.pace), stateDir: opts.stateDir, keepExecutions: false });
    try {
      if (!opts.json) console.log(`zpl demo: local stack on 127.0.0.1 (${describeClock(stack.file.clock)}); provisioning ${opts.file} (link ${linkId(spec)})`);
      const { execution } = await applyLink(stackTarget(stack.file), spec, { follow: true, json: Boolean(opts.json) });
      process.exitCode = execution.Status === 'Succeeded' ? 0 : 1;
    } finally {
      await stack.stop();
    }
  });

program
  .command('apply')
  .description('provision the link a spec describes: start (or join) the provision flow, and with --follow show each step until it ends')
  .requiredOption('-f, --file <path>', 'link spec (YAML or JSON)')
  .option('--follow', 'show live progress and wait for the end (exit 1 if it fails)')
  .option('--name <execution>', 'execution name (default: the link\'s next run, or the one running for it, which this joins)')
  .option('--json', 'machine-readable output')
  .option('--state-dir <dir>', 'the local stack state directory', '.zpl')
  .addOption(targetOption())
  .action(async (opts: { file: string; follow?: boolean; name?: string; json?: boolean; stateDir: string; target: string }) => {
    const spec = specOrExit(opts.file);
    await onTarget(opts.target, spec, opts.stateDir, true, async (target) => {
      const { execution } = await applyLink(target, spec, { follow: Boolean(opts.follow), json: Boolean(opts.json), name: opts.name });
      if (opts.follow) process.exitCode = execution.Status === 'Succeeded' ? 0 : 1;
    });
  });

program
  .command('destroy')
  .description('tear down what zpl created for a link (or, with --cluster, only those clusters\' DNS records); never deletes what it did not create')
  .requiredOption('-f, --file <path>', 'link spec (YAML or JSON)')
  .option('--cluster <id...>', 'remove only these clusters from the link')
  .option('--follow', 'show live progress and wait for the end (exit 1 if it fails)')
  .option('--json', 'machine-readable output')
  .option('--state-dir <dir>', 'the local stack state directory', '.zpl')
  .addOption(targetOption())
  .action(async (opts: { file: string; cluster?: string[]; follow?: boolean; json?: boolean; stateDir: string; target: string }) => {
    const spec = specOrExit(opts.file);
    await onTarget(opts.target, spec, opts.stateDir, true, async (target) => {
      const input = { spec, ...(opts.cluster ? { removeClusters: opts.cluster } : {}) };
      const { execution } = await applyLink(target, spec, { follow: Boolean(opts.follow), json: Boolean(opts.json), flow: TEARDOWN_FLOW, input });
      if (opts.follow) process.exitCode = execution.Status === 'Succeeded' ? 0 : 1;
    });
  });

program
  .command('plan')
  .description('show what apply would create, reuse or change, from reads only (nothing is changed)')
  .requiredOption('-f, --file <path>', 'link spec (YAML or JSON)')
  .option('--json', 'machine-readable output')
  .option('--state-dir <dir>', 'the local stack state directory', '.zpl')
  .addOption(targetOption())
  .action(async (opts: { file: string; json?: boolean; stateDir: string; target: string }) => {
    const spec = specOrExit(opts.file);
    await onTarget(opts.target, spec, opts.stateDir, false, async (target) => {
      const plan = await planLink(spec, target.deps());
      if (opts.json) console.log(JSON.stringify(plan, null, 2));
      else {
        console.log(`plan for link ${plan.linkId} (${spec.projectId}, ${spec.region}, ${spec.vpcId}) on ${target.description}`);
        for (const p of plan.problems) console.log(`  ✗ cannot work: ${p}`);
        for (const i of plan.items) console.log(`  ${{ create: '+', update: '~', reuse: '=', keep: '=', conflict: '!' }[i.action]} ${i.action.padEnd(8)} ${i.resource.padEnd(20)} ${i.detail}`);
        const changes = plan.items.filter((i) => i.action === 'create' || i.action === 'update').length;
        console.log(plan.problems.length ? 'The spec cannot work as it is; apply would stop at validation.' : `${changes} change(s); apply would make them.`);
      }
      process.exitCode = plan.problems.length || plan.items.some((i) => i.action === 'conflict') ? 2 : 0;
    });
  });

program
  .command('status')
  .description('show an execution of the provision flow: status, steps with timings, outputs or error')
  .argument('<execution>', 'execution name (as apply printed it)')
  .option('--follow', 'keep following until it ends')
  .option('--json', 'machine-readable output')
  .option('--flow <name>', 'flow name', PROVISION_FLOW)
  .option('--region <region>', 'region (CloudFlow targets)', 'cn-hangzhou')
  .option('--state-dir <dir>', 'the local stack state directory', '.zpl')
  .addOption(targetOption())
  .action(async (name: string, opts: { follow?: boolean; json?: boolean; flow: string; region: string; stateDir: string; target: string }) => {
    await onTarget(opts.target, { region: opts.region }, opts.stateDir, false, async (target) => {
      const execution = await target.flows.describe(opts.flow, name);
      if (opts.follow && !FINISHED_STATUSES.has(execution.Status)) {
        const result = await follow(target.flows, opts.flow, name, { pollMs: target.pollMs, onLine: opts.json ? undefined : (l) => console.log(formatLine(l)) });
        console.log(opts.json ? JSON.stringify(result, null, 2) : formatSummary(result.execution, result.report, 0));
        process.exitCode = result.execution.Status === 'Succeeded' ? 0 : 1;
        return;
      }
      const events = await target.flows.history(opts.flow, name);
      const reader = new ProgressReader();
      const lines = reader.read(events);
      if (opts.json) console.log(JSON.stringify({ execution, steps: lines, report: reader.report }, null, 2));
      else {
        console.log(`${name}: ${execution.Status} (started ${execution.StartedTime}${execution.StoppedTime ? `, stopped ${execution.StoppedTime}` : ''})`);
        for (const l of lines) console.log(formatLine(l));
        const current = [...events].reverse().find((e) => e.Type === 'StepEntered');
        if (!FINISHED_STATUSES.has(execution.Status) && current) console.log(`  now in ${current.StepName}`);
        if (FINISHED_STATUSES.has(execution.Status)) console.log(formatSummary(execution, reader.report, 0));
      }
    });
  });

program
  .command('drift')
  .description('compare every managed link with the desired state recorded on its resources (exit 2 when any drifted); --remediate re-runs provisioning for drifted links')
  .option('--region <region...>', 'regions to check', ['cn-hangzhou'])
  .option('--remediate', 're-run the provision flow for each drifted link')
  .option('--json', 'machine-readable report')
  .option('--state-dir <dir>', 'the local stack state directory', '.zpl')
  .addOption(targetOption())
  .action(async (opts: { region: string[]; remediate?: boolean; json?: boolean; stateDir: string; target: string }) => {
    await onTarget(opts.target, { region: opts.region[0]!, accountId: process.env.ALIBABA_CLOUD_ACCOUNT_ID }, opts.stateDir, opts.target !== 'cloudflow', async (target) => {
      const result = await runDrift(target, { regions: opts.region, remediate: Boolean(opts.remediate) });
      if (!result.report) throw new Error(`the drift check ended ${result.status} without a report`);
      if (opts.json) console.log(JSON.stringify(result, null, 2));
      else {
        console.log(formatDrift(result.report));
        for (const r of result.remediation ?? []) console.log(`  remediation: ${JSON.stringify(r)}`);
      }
      process.exitCode = result.report.drifted > 0 ? 2 : 0;
    });
  });

program
  .command('check')
  .description('validate a link spec file and show what it derives (names, hostnames), without any cloud call')
  .requiredOption('-f, --file <path>', 'link spec (YAML or JSON)')
  .option('--json', 'machine-readable output')
  .action((opts: { file: string; json?: boolean }) => {
    const result = readSpecFile(opts.file);
    if (opts.json) {
      console.log(JSON.stringify(result.ok ? { ok: true, spec: result.spec, warnings: result.warnings } : result, null, 2));
    } else if (!result.ok) {
      console.error(`${opts.file}: invalid link spec`);
      for (const e of result.errors) console.error(`  - ${e.field || '(spec)'}: ${e.message}`);
    } else {
      const { spec } = result;
      console.log(`${opts.file}: valid — link ${linkId(spec)} (${spec.projectId}, ${spec.region}, ${spec.vpcId})`);
      for (const cluster of spec.clusters) {
        const dns = dnsRecordName(spec, cluster);
        console.log(`  ${cluster}: ${dns.fqdn} (zone ${dns.zoneName}, record ${dns.rr})`);
      }
      for (const w of result.warnings) console.log(`  warning: ${w}`);
    }
    process.exitCode = result.ok ? 0 : 2;
  });

program
  .command('validate')
  .description('check CloudFlow flow definitions (FDL) as CloudFlow would, without deploying them')
  .argument('<files...>', 'flow YAML files, e.g. flows/*.yaml')
  .option('--json', 'machine-readable output')
  .action((files: string[], opts: { json?: boolean }) => {
    const results = files.map((file) => {
      if (!existsSync(file)) return { file, ok: false, problems: [{ file, path: '', message: 'no such file' }] };
      const r = checkFlow(readFileSync(file, 'utf8'), file);
      return r.ok ? { file, ok: true, states: countStates(r.flow), problems: [] } : { file, ok: false, problems: r.problems };
    });
    if (opts.json) console.log(JSON.stringify(results, null, 2));
    else
      for (const r of results) {
        if (r.ok) console.log(`${r.file}: valid (${r.states} states)`);
        else for (const p of r.problems) console.error(formatProblem(p));
      }
    process.exitCode = results.every((r) => r.ok) ? 0 : 2;
  });

program
  .command('render')
  .description('write the flows with their function ARNs filled in for an account and region (what CloudFlow deploys)')
  .requiredOption('--region <region>', 'Alibaba Cloud region, e.g. cn-hangzhou')
  .requiredOption('--account-id <id>', 'Alibaba Cloud account ID (16 digits)')
  .option('--event-bus <name>', 'EventBridge bus for outcome events (s.yaml vars.eventBus)', process.env.ZPL_EVENT_BUS ?? configuredEventBus())
  .option('-o, --out <dir>', 'output directory', join('.zpl', 'render'))
  .action((opts: { region: string; accountId: string; eventBus?: string; out: string }) => {
    mkdirSync(opts.out, { recursive: true });
    for (const flow of flowFiles()) {
      const file = join(opts.out, `${flow.name}.yaml`);
      try {
        writeFileSync(file, renderFlow(flow.text, { region: opts.region, accountId: opts.accountId, eventBus: opts.eventBus }));
      } catch (e) {
        void fail(e);
      }
      console.log(`${file}`);
    }
  });

program
  .command('build')
  .description('bundle every function (esbuild) into dist/functions, render the flows for an account and region into dist/flows, write the RAM policies to dist/ram')
  .option('--region <region>', 'region to render the flows for', process.env.ZPL_REGION ?? 'cn-hangzhou')
  .option('--account-id <id>', 'Alibaba Cloud account ID to render the flows for', process.env.ALIBABA_CLOUD_ACCOUNT_ID)
  .option('--event-bus <name>', 'EventBridge bus for outcome events', process.env.ZPL_EVENT_BUS ?? configuredEventBus())
  .option('-o, --out <dir>', 'output directory', 'dist')
  .action(async (opts: { region: string; accountId?: string; eventBus?: string; out: string }) => {
    const result = await buildAll({ outDir: opts.out, region: opts.region, accountId: opts.accountId, eventBus: opts.eventBus }).catch(fail);
    for (const f of result.functions) console.log(`  function ${f.name.padEnd(28)} ${(f.bytes / 1024).toFixed(0).padStart(5)} KiB`);
    for (const f of result.flows) console.log(`  flow     ${f}`);
    for (const p of result.policies) console.log(`  policy   ${p}`);
    for (const n of result.notes) console.log(`  note: ${n}`);
  });

program
  .command('deploy-bus')
  .description('create (or reuse) the EventBridge bus for ticket events and outcomes, and the rule sending zpl.link.requested to zpl-events; run after `s deploy`')
  .option('--region <region>', 'Alibaba Cloud region', process.env.ZPL_REGION ?? 'cn-hangzhou')
  .option('--account-id <id>', 'Alibaba Cloud account ID (16 digits) that owns zpl-events', process.env.ALIBABA_CLOUD_ACCOUNT_ID)
  .option('--event-bus <name>', 'the bus (s.yaml vars.eventBus)', process.env.ZPL_EVENT_BUS ?? configuredEventBus())
  .option('--endpoint <url>', 'EventBridge control-plane endpoint override', process.env.ZPL_EVENTBRIDGE_ENDPOINT)
  .option('--plan', 'print what the step does, call nothing')
  .action(async (opts: { region: string; accountId?: string; eventBus?: string; endpoint?: string; plan?: boolean }) => {
    if (!opts.accountId || !/^\d{16}$/.test(opts.accountId)) {
      console.error('deploy-bus needs --account-id <16 digits> (or ALIBABA_CLOUD_ACCOUNT_ID)');
      process.exit(2);
    }
    const lines = await runDeployBus({ region: opts.region, accountId: opts.accountId, eventBus: opts.eventBus, endpoint: opts.endpoint, plan: opts.plan }).catch(fail);
    for (const line of lines) console.log(`  ${line}`);
  });

program
  .command('diagram')
  .description('print a flow as a Mermaid flowchart (the README shows the provision flow this way)')
  .argument('[file]', 'flow YAML', 'flows/provision.yaml')
  .action((file: string) => {
    const r = checkFlow(readFileSync(file, 'utf8'), file);
    if (!r.ok) {
      for (const p of r.problems) console.error(formatProblem(p));
      process.exit(2);
    }
    console.log(mermaid(r.flow));
  });

await program.parseAsync();
