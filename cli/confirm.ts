import { createInterface } from 'node:readline/promises';

/**
 * Asks before something destructive, as `terraform destroy` does: only `yes` goes ahead
 * (https://developer.hashicorp.com/terraform/cli/commands/destroy; `-auto-approve` skips it, here
 * `--yes`). With no terminal to ask on it refuses instead of guessing: a script must say --yes.
 * The question goes to stderr, so stdout stays the command's output (--json).
 */
export async function confirmOrExit(what: string[], yes: boolean | undefined, stdin = process.stdin): Promise<void> {
  if (yes) return;
  if (!stdin.isTTY) {
    console.error('zpl: destroy asks for confirmation and stdin is not a terminal; pass --yes to destroy without asking');
    process.exit(1);
  }
  const rl = createInterface({ input: stdin, output: process.stderr });
  const answer = await rl.question(`${what.join('\n')}\nOnly 'yes' will be accepted to confirm.\n\n  Enter a value: `);
  rl.close();
  if (answer.trim() !== 'yes') {
    console.error('Destroy cancelled.');
    process.exit(1);
  }
}
