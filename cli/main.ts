import { existsSync, readFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { checkFlow, countStates, formatProblem } from '../local/engine/fdl-check.ts';
import { linkId, dnsRecordName } from '../shared/derived.ts';
import { readSpecFile } from './spec-file.ts';
import { startStack } from '../local/stack.ts';
import { DEMO } from '../local/emulators/fixtures.ts';

const program = new Command('zpl').description('Connect an Alibaba Cloud VPC to Zilliz Cloud over PrivateLink.').showHelpAfterError();

const number = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`${name} must be a non-negative number`);
  return n;
};

program
  .command('up')
  .description('start the local stack (Alibaba and Zilliz emulators) on loopback and write its addresses to <state-dir>/stack.json')
  .option('--scale <n>', 'emulated seconds per real second', number('--scale'), 60)
  .option('--state-dir <dir>', 'where the stack file is written', '.zpl')
  .option('--alibaba-port <port>', 'Alibaba gateway port (0: any free port)', number('--alibaba-port'), 0)
  .option('--zilliz-port <port>', 'Zilliz API port (0: any free port)', number('--zilliz-port'), 0)
  .action(async (opts: { scale: number; stateDir: string; alibabaPort: number; zillizPort: number }) => {
    const stack = await startStack({ scale: opts.scale, stateDir: opts.stateDir, alibabaPort: opts.alibabaPort, zillizPort: opts.zillizPort });
    const f = stack.file;
    console.log(`zpl local stack is up (time runs ${f.scale}× faster than real time)
  Alibaba Cloud (ECS, VPC, PrivateLink, PrivateZone)  ${f.alibabaUrl}
  Zilliz Cloud control plane                         ${f.zillizUrl}/v2
  admin (state, calls, clock, faults)                ${f.adminUrl}
  stack file                                         ${stack.path}
Seeded: account ${DEMO.accountId}, VPC ${DEMO.vpcId} (cn-hangzhou-h, cn-hangzhou-j), project ${DEMO.projectId} with clusters ${DEMO.clusterId}, ${DEMO.secondClusterId}.
Try:  curl -s ${f.adminUrl}/state | head -c 400
Stop with Ctrl-C.`);
    const stop = async () => {
      await stack.stop();
      process.exit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
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

await program.parseAsync();
