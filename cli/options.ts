import { InvalidArgumentError, Option } from 'commander';
import { S_YAML } from '../local/deployed-functions.ts';
import { isRegion, REGIONS } from '../shared/regions.ts';

/**
 * The options several commands share, built once so their flags, help texts and defaults
 * cannot drift apart. Commands that word an option differently pass their own description.
 * Environment defaults are read when the command is registered, as they always were.
 */

/** A commander parser for a non-negative number (`--pace`, ports). */
export const number = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`${name} must be a non-negative number`);
  return n;
};

/** `-f, --file`: the link spec every link command reads. */
export const specFileOption = () => new Option('-f, --file <path>', 'link spec (YAML or JSON)').makeOptionMandatory();

export const jsonOption = (description = 'machine-readable output') => new Option('--json', description);

export const followOption = (description = 'show live progress and wait for the end (exit 1 if it fails)') =>
  new Option('--follow', description);

export const stateDirOption = (description = 'the local stack state directory', dir = '.zpl') =>
  new Option('--state-dir <dir>', description).default(dir);

export const targetOption = () =>
  new Option('--target <where>', 'where the flow runs: the local stack (`zpl up`), a local engine against the real clouds, or CloudFlow')
    .choices(['auto', 'stack', 'local', 'cloudflow'])
    .default('auto');

export const paceOption = (description: string, pace: number) =>
  new Option('--pace <n>', description).default(pace).argParser(number('--pace'));

export const portOption = (flag: string, description: string) =>
  new Option(`${flag} <port>`, description).default(0).argParser(number(flag));

export const outOption = (dir: string) => new Option('-o, --out <dir>', 'output directory').default(dir);

/** `--endpoint`: the EventBridge control plane, ZPL_EVENTBRIDGE_ENDPOINT when set (tests point it at the emulator). */
export const eventBridgeEndpointOption = () =>
  new Option('--endpoint <url>', 'EventBridge control-plane endpoint override').default(process.env.ZPL_EVENTBRIDGE_ENDPOINT);

/** What `--state-dir`, `--target` and `--profile` give a command's action. */
export interface TargetOptions {
  stateDir: string;
  target: string;
  profile?: string;
}

/** `--profile`: the credentials profile of ~/.aliyun/config.json the real-cloud targets use (and nothing else). */
export const profileOption = () =>
  new Option(
    '--profile <name>',
    'credentials: this profile of ~/.aliyun/config.json alone (default: the default chain — environment, OIDC, ALIBABA_CLOUD_PROFILE or the current profile, ~/.alibabacloud/credentials, the ECS instance role)',
  );

/** `--template`: the s.yaml a build or deploy is for (its vars, and its folder's dist/). */
export const templateOption = () =>
  new Option('-t, --template <s.yaml>', 'the Serverless Devs project (its vars name region, account, bus and secrets)').default(S_YAML);

/** `--region`, `--account-id`, `--event-bus` as checks: s.yaml's vars decide, an option that differs is refused. */
export const targetChecks = () => [
  new Option('--region <region>', "must equal s.yaml's vars.region"),
  new Option('--account-id <id>', "must equal s.yaml's vars.accountId"),
  new Option('--event-bus <name>', "must equal s.yaml's vars.eventBus"),
];

/** A commander parser for `--region R…`: a region zpl links in, collected into a list after the default. */
export const regionsParser = (defaults: string[]) => (value: string, previous: string[]) => {
  if (!isRegion(value)) throw new InvalidArgumentError(`${value} is not a region zpl links in: one of ${REGIONS.join(', ')}`);
  return previous === defaults ? [value] : [...previous, value];
};
