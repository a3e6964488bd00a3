import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { linkId } from '../../shared/derived.ts';
import { clockOptions, describeClock, startStack } from '../../local/stack.ts';
import { applyLink } from '../apply.ts';
import { fail, specOrExit } from '../exit.ts';
import { jsonOption, paceOption, stateDirOption } from '../options.ts';
import { stackTarget } from '../target.ts';

/** `zpl demo` (`npm start`): one provisioning run end to end on a stack of its own. */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'the embedded default (npm start): boot the local stack, provision examples/link.yaml end to end with time sped up, verify, stop',
    )
    .addOption(new Option('-f, --file <path>', 'link spec').default('examples/link.yaml'))
    .addOption(paceOption('emulated seconds per real second while waiting (default 0: skip straight to the next timer)', 0))
    .addOption(stateDirOption('where the demo keeps its state', join('.zpl', 'demo')))
    .addOption(jsonOption('machine-readable result'))
    .action(async (opts: { file: string; pace: number; stateDir: string; json?: boolean }) => {
      const spec = specOrExit(opts.file);
      const stack = await startStack({ ...clockOptions(opts.pace), stateDir: opts.stateDir, keepExecutions: false }).catch(fail);
      try {
        if (!opts.json)
          console.log(
            `zpl demo: local stack on 127.0.0.1 (${describeClock(stack.file.clock)}); provisioning ${opts.file} (link ${linkId(spec)})`,
          );
        const { execution } = await applyLink(stackTarget(stack.file), spec, { follow: true, json: Boolean(opts.json) });
        process.exitCode = execution.Status === 'Succeeded' ? 0 : 1;
      } finally {
        await stack.stop();
      }
    });
}
