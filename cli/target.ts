import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { AliyunError } from '../shared/aliyun/errors.ts';
import { AliyunTransport } from '../shared/aliyun/rpc.ts';
import { defaultChain } from '../shared/credentials/chain.ts';
import { isProvider, staticProvider, type AccessKey, type CredentialProvider } from '../shared/credentials/provider.ts';
import { chainSettings } from '../shared/credentials/settings.ts';
import { runCredentials } from '../shared/steps/run-as.ts';
import type { RunAs } from '../shared/steps/run-as-request.ts';
import { CloudFlowApi } from '../shared/aliyun/cloudflow.ts';
import { systemClock } from '../shared/clock.ts';
import { silentLogger } from '../shared/log.ts';
import { deployFlows } from '../shared/flows.ts';
import { functionConfig } from '../shared/function-config.ts';
import { systemNetwork } from '../shared/net/network.ts';
import { mappedNetwork } from '../shared/net/address-map.ts';
import { stepDeps } from '../shared/steps/runtime.ts';
import type { StepDeps } from '../shared/steps/types.ts';
import { linkId } from '../shared/derived.ts';
import type { LinkSpec } from '../shared/spec.ts';
import { startLocalEngine } from '../local/engine/index.ts';
import { describeClock, readStackFile, stackFilePath, type StackFile } from '../local/stack.ts';
import { existsSync } from 'node:fs';

/**
 * Where an execution runs:
 * - `stack`: the local stack started by `zpl up` (emulated clouds, local engine);
 * - `local`: a local engine in this process against the real clouds;
 * - `cloudflow`: a flow deployed with `s deploy` in CloudFlow.
 * The real-cloud targets take their key from the default chain, or the profile `--profile` names.
 */
export type TargetKind = 'stack' | 'local' | 'cloudflow';

export interface Target {
  kind: TargetKind;
  description: string;
  /** The region the target's flows run in (the stack's, or the one asked for). */
  region: string;
  flows: CloudFlowApi;
  /**
   * Clients for reads (`zpl plan`, `zpl list`), as the steps would build them, for a region (default
   * the target's); with `runAs`, as that role.
   */
  deps(region?: string, runAs?: RunAs): StepDeps;
  /** Seconds between progress polls. */
  pollMs: number;
  close(): Promise<void>;
}

/**
 * The key of the default chain (or of `--profile`), asked for once now so a command without
 * credentials stops before it starts anything, naming every source it tried.
 */
async function chainCredentials(region: string, profile: string | undefined): Promise<CredentialProvider> {
  const chain = defaultChain(chainSettings({ region, profile }));
  await chain.getCredentials().catch((e: unknown) => {
    throw new Error(
      `no Alibaba Cloud credentials for the real clouds (${(e as Error).message}): set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, configure a profile (aliyun configure) or pass --profile`,
    );
  });
  return chain;
}

/** With `runAs`, the role's session, taken with the command's own key at first use, as the functions take it. */
function runAsCredentials(region: string, credentials: AccessKey | CredentialProvider, runAs: RunAs | undefined, alibabaEndpoint?: string) {
  if (!runAs) return credentials;
  const source = isProvider(credentials) ? credentials : staticProvider(credentials, 'the command');
  const endpoint = functionConfig().stsEndpoint ?? alibabaEndpoint;
  let role: Promise<CredentialProvider> | undefined;
  return {
    name: `${runAs.arn} via ${source.name}`,
    async getCredentials() {
      role ??= source
        .getCredentials()
        .then((key) => runCredentials(key, runAs, { region, endpoint, clock: systemClock, log: silentLogger }));
      // A refusal is not kept: the next call asks again.
      role.catch(() => (role = undefined));
      return (await role).getCredentials();
    },
  };
}

/**
 * The real-cloud clients, with the endpoint overrides the functions honour (ZPL_ALIBABA_ENDPOINT,
 * ZPL_ZILLIZ_URL; shared/function-config.ts), so `--target local` and `cloudflow` reach what
 * the environment names — a private endpoint, a proxy, or an emulator — like the steps do; with
 * `runAs`, as that role.
 */
function cloudDeps(region: string, credentials: AccessKey | CredentialProvider, runAs?: RunAs): StepDeps {
  const config = functionConfig();
  // The shell's key: the CLI reads no KMS secret (shared/secrets.ts is the functions').
  const zillizApiKey = process.env.ZILLIZ_API_KEY || undefined;
  if (!zillizApiKey) throw new Error('set ZILLIZ_API_KEY (a Zilliz Cloud API key with access to the project) to use the real clouds');
  return stepDeps({
    region,
    credentials: runAsCredentials(region, credentials, runAs, config.alibabaEndpoint),
    alibabaEndpoint: config.alibabaEndpoint,
    zillizApiKey,
    zillizUrl: config.zillizUrl,
    // Verify from this machine: in no VPC it vouches for, so it reports "not verified" (network.ts).
    network: systemNetwork,
  });
}

/** Clients for reads against the real clouds with the default chain's key, or `profile`'s (`zpl doctor --target aliyun`); with `runAs`, as that role. */
export const cloudReadDeps = (region: string, profile?: string, runAs?: RunAs): StepDeps =>
  cloudDeps(region, defaultChain(chainSettings({ region, profile })), runAs);

/** Clients for `zpl plan`'s reads of a spec: with `assumeRole`, as that role (session `zpl-plan-<linkId>`), as its run would act. */
export const planDeps = (target: Target, spec: LinkSpec): StepDeps =>
  target.deps(undefined, spec.assumeRole && { ...spec.assumeRole, execution: `zpl-plan-${linkId(spec)}` });

export function stackTarget(file: StackFile): Target {
  const credentials = { accessKeyId: file.accessKeyId, accessKeySecret: file.accessKeySecret };
  return {
    kind: 'stack',
    description: `the local stack (engine ${file.fnfUrl}, ${describeClock(file.clock)})`,
    region: file.region,
    flows: new CloudFlowApi(new AliyunTransport({ endpoint: file.fnfUrl, credentials }), file.region),
    // The emulators serve every region; the engine runs in the stack's.
    deps: (region = file.region, runAs) =>
      stepDeps({
        region,
        credentials: runAsCredentials(region, credentials, runAs, file.alibabaUrl),
        alibabaEndpoint: file.alibabaUrl,
        zillizApiKey: file.zillizApiKey,
        zillizUrl: file.zillizUrl,
        network: mappedNetwork(file.addressMap),
      }),
    pollMs: 200,
    close: async () => undefined,
  };
}

/** The region a real-cloud target works in when the command names none: ZPL_REGION, else cn-hangzhou. */
export const defaultRegion = () => process.env.ZPL_REGION || 'cn-hangzhou';

/** A refused connection to a stack whose process lives (still starting, or its servers closed): say so, and how to start one. */
export function stackUnreachable(e: unknown, stateDir: string): unknown {
  const refused = e instanceof AliyunError && e.code === 'NetworkError' && /ECONNREFUSED/.test(e.message);
  if (!refused) return e;
  return new Error(
    `the local stack on ${stateDir} is not answering (${e.message} from ${e.product} ${e.action}): it is not running; start it with \`zpl up --state-dir ${stateDir}\``,
  );
}

/**
 * @param where the region (and account, to render ARNs) the command works in, and where the
 *   region came from (`the spec`, `--region`), to say which asks for a region the stack lacks;
 *   without a region, the stack's own, or defaultRegion() for the real clouds (fleet commands:
 *   list, executions, drift)
 * @param deploy render and deploy the flows first (apply); reads (plan, status) leave them alone
 */
export async function openTarget(
  kind: string,
  where: { region?: string; accountId?: string; regionFrom?: string; profile?: string },
  stateDir: string,
  deploy = false,
): Promise<Target> {
  const spec = { ...where, region: where.region ?? defaultRegion() };
  const chosen = kind === 'auto' ? (existsSync(stackFilePath(stateDir)) ? 'stack' : undefined) : kind;
  if (!chosen)
    throw new Error(
      `no local stack is running (${stackFilePath(stateDir)} is missing): start one with \`zpl up\`, or pick --target local|cloudflow to use the real clouds`,
    );
  if (chosen === 'stack') {
    const file = readStackFile(stateDir);
    if (where.region && where.region !== file.region)
      throw new Error(
        `the local stack emulates ${file.region} only; ${spec.regionFrom ?? 'the spec'} asks for ${spec.region} (use --target local or cloudflow for another region)`,
      );
    const target = stackTarget(file);
    if (deploy)
      await deployFlows(target.flows, { region: file.region, accountId: file.accountId }).catch((e: unknown) => {
        throw stackUnreachable(e, stateDir);
      });
    return target;
  }
  if (chosen === 'cloudflow') {
    const credentials = await chainCredentials(spec.region, spec.profile);
    // ZPL_FNF_ENDPOINT, as the API and event functions read it: another CloudFlow endpoint (or the local engine).
    const flows = new CloudFlowApi(new AliyunTransport({ credentials, endpoint: functionConfig().fnfEndpoint }), spec.region);
    return {
      kind: 'cloudflow',
      description: `CloudFlow in ${spec.region}`,
      region: spec.region,
      flows,
      deps: (region = spec.region, runAs) => cloudDeps(region, credentials, runAs),
      pollMs: 3000,
      close: async () => undefined,
    };
  }
  if (chosen === 'local') {
    const credentials = await chainCredentials(spec.region, spec.profile);
    // An ephemeral key pair guards this process's own engine API.
    const key = { accessKeyId: `LTAIlocal${randomBytes(6).toString('hex')}`, accessKeySecret: randomBytes(24).toString('hex') };
    const engine = await startLocalEngine({
      clock: systemClock,
      stateDir: join(stateDir, 'engine-local'),
      region: spec.region,
      accountId: spec.accountId ?? '',
      credentials,
      keys: new Map([[key.accessKeyId, key.accessKeySecret]]),
      // Only a run that deploys (apply) knows the account to resume executions under.
      resume: deploy,
    });
    const flows = new CloudFlowApi(new AliyunTransport({ endpoint: engine.url, credentials: key }), spec.region);
    if (deploy) {
      if (!spec.accountId) throw new Error('the account ID is needed to render the flows');
      await deployFlows(flows, { region: spec.region, accountId: spec.accountId });
    }
    return {
      kind: 'local',
      description: `a local engine against the real clouds (${spec.region})`,
      region: spec.region,
      flows,
      deps: (region = spec.region, runAs) => cloudDeps(region, credentials, runAs),
      pollMs: 1000,
      close: () => engine.close(),
    };
  }
  throw new Error(`unknown target ${kind}: use auto, stack, local or cloudflow`);
}
