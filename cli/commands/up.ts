import type { Command } from 'commander';
import { DEMO } from '../../local/emulators/fixtures.ts';
import { clockOptions, describeClock, startStack } from '../../local/stack.ts';
import { fail } from '../exit.ts';
import { paceOption, portOption, stateDirOption } from '../options.ts';

/** `zpl up`: the local stack on loopback until Ctrl-C. */
export function registerUp(program: Command): void {
  program
    .command('up')
    .description(
      'start the local stack (emulated Alibaba Cloud and Zilliz, the emulated VPC network, the local CloudFlow engine) on loopback',
    )
    .addOption(paceOption('emulated seconds per real second while nothing runs (0: skip straight to the next timer)', 60))
    .addOption(stateDirOption('where the stack file, executions and logs are kept'))
    .addOption(portOption('--alibaba-port', 'Alibaba gateway port (0: any free port)'))
    .addOption(portOption('--zilliz-port', 'Zilliz API port (0: any free port)'))
    .addOption(portOption('--fnf-port', 'CloudFlow (FnF) API port of the local engine (0: any free port)'))
    .action(async (opts: { pace: number; stateDir: string; alibabaPort: number; zillizPort: number; fnfPort: number }) => {
      const stack = await startStack({
        ...clockOptions(opts.pace),
        stateDir: opts.stateDir,
        alibabaPort: opts.alibabaPort,
        zillizPort: opts.zillizPort,
        fnfPort: opts.fnfPort,
      }).catch(fail);
      const f = stack.file;
      console.log(`zpl local stack is up (${describeClock(f.clock)})
  Alibaba Cloud (ECS, VPC, PrivateLink, PrivateZone)  ${f.alibabaUrl}
  Zilliz Cloud control plane                         ${f.zillizUrl}/v2
  CloudFlow (FnF API, local engine)                  ${f.fnfUrl}
  status page (sign in with the API token)           ${f.edgeUrl}/page
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
}
